namespace HarmoniousFeedback.Models.PianoEmotion;

public enum OptimizerKind { Sgd, Adam, AdamW }
