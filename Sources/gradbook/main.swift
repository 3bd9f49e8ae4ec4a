print("gradbook")
