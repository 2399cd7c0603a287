"""The notification outbox. (Filled in by the notifications issue.)"""
