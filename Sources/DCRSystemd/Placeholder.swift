// (placeholder): DCRSystemd is built in a later change.
