"""{{ class_name }}: a FastAPI service for AWS Lambda. The app lives in `main.py`."""
