"""Reviewers' decisions and units' appeals: stored with their trail (`decisions`), read from
an overrides file (`overrides`) or a filled-in review sheet (`sheet`)."""
