"""Arabic text core: normalisation, tokens, sentences, clitic segments."""
