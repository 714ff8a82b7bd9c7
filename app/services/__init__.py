"""I/O adapters (boto3, keyring, files, SQLite, asyncio); no Qt. Each returns core types."""
