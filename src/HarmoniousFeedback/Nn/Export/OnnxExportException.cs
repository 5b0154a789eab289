namespace HarmoniousFeedback.Nn.Export;

/// <summary>
/// A network (or a part of it) cannot be expressed in ONNX, or the export options are inconsistent with it. The
/// message names the module path and type and what would be needed (e.g. "AdaptiveAvgPool2d(3, 3) needs a fixed input
/// height and width divisible by the output size").
/// </summary>
public sealed class OnnxExportException : HarmoniousFeedbackException
{
    public OnnxExportException(string message, Exception? inner = null) : base(message, inner) { }
}
