// (placeholder): DCRCounters is built in a later change.
