// (placeholder): DCRWire is built in a later change.
