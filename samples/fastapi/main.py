"""FastAPI's first-steps app, plus a slow route and a websocket echo."""
import asyncio

from fastapi import FastAPI, WebSocket

app = FastAPI()


@app.get("/")
async def root():
    return {"message": "Hello from FastAPI"}


@app.get("/slow")
async def slow(seconds: float = 2.0):
    await asyncio.sleep(seconds)
    return {"slept": seconds}


@app.websocket("/ws")
async def echo(websocket: WebSocket):
    await websocket.accept()
    while True:
        await websocket.send_text(await websocket.receive_text())
