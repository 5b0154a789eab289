namespace HarmoniousFeedback.Plotting;

/// <summary>Marker shapes for scatter plots; shapes as well as colours tell classes apart (colour-blind and greyscale safe).</summary>
public enum MarkerShape { Circle, Square, Triangle, Diamond }
