# main.py
from fastapi import FastAPI

app = FastAPI()

# "Base de dados" em memória
items = {
    1: {"name": "Laptop", "price": 1200},
    2: {"name": "Mouse", "price": 50}
}

@app.get("/")
def read_root():
    return {"message": "Ola, API!"}

@app.get("/items/{item_id}")
def read_item(item_id: int):
    if item_id in items:
        return items[item_id]
    return {"error": "Item not found"}
