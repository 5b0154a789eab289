namespace HarmoniousFeedback.Pipeline;

public enum ScalarKind { Float, Double, Int, Bool, String }
