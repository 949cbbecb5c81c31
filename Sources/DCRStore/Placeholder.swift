// (placeholder): DCRStore is built in a later change.
