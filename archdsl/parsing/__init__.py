"""Text to model: the Lark parser, the model builder and the file loader."""
