"""leadgame: a terminal game for learning systems leadership."""

__version__ = "0.1.0"
