"""What the Streamlit pages share: the signed-in workspace, cached heavy objects, the settings
files the 设置 page writes. The pages (app_pages/*.py) stay thin; the work is done in rag/."""
