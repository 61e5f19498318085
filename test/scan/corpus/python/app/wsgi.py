import os

from flask import Flask

app = Flask(__name__)
app.secret_key = "super secret key"
app.config["SESSION_COOKIE_SECURE"] = True
app.config["JWT_ACCESS_TOKEN_EXPIRES"] = 3600
app.config["JWT_SECRET_KEY"] = "jwt-secret-string"
app.config["UPLOAD_FOLDER"] = os.path.join(app.root_path, "uploads")


@app.route("/health")
def health():
    return {"status": "ok"}
