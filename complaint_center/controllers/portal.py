"""Customer portal: My Complaints (filled in by the portal work)."""
