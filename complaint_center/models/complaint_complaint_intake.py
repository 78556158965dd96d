"""Mail intake: complaints from the complaints@ alias (filled in later)."""
