// placeholder: DCRConfig is built in a later change.
