// The notebook.
