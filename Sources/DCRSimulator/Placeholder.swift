// placeholder: DCRSimulator is built in a later change.
