"""Signing in and out: throttling, single sign-on, session rules, sign-in audit."""
