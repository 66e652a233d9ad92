"""The domain: work orders, surveys, responses, complaints, appeals and the outbox."""
