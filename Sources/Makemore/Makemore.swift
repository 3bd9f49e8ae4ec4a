// The makemore language models and their data.
