"""Ordering reacts to no other context's events (yet): it only publishes its order events
(see contracts.py)."""
