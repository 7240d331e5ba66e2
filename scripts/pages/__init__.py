"""Page generation: the policy's fragments, words and forms that the hand-written pages include."""
