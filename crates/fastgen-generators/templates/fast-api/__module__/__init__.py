"""{{ class_name | py_string }}: a FastAPI service for AWS Lambda. The app lives in `main.py`."""
