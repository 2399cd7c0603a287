# Payment attempts and receipts are added by the payments issue.
