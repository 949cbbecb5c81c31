// (placeholder): DCRClient is built in a later change.
