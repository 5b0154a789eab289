namespace HarmoniousFeedback.Reporting;

/// <summary>Horizontal alignment of a table column.</summary>
public enum ColumnAlignment { Left, Center, Right }
