// (placeholder): DCRServer is built in a later change.
