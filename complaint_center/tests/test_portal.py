"""(filled in by the visibility work)"""
