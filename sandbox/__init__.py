"""Simulated outside systems for development and tests (installed only when DEBUG is on).

Each one speaks only its real protocol over HTTP, as the real system would, and imports nothing
from the portal's own apps: today the payment gateway's bank (a VNPay 2.1.0 look-alike) and the public postal operator.
"""
