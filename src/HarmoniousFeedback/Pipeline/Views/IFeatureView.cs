using System.Text.Json;
using HarmoniousFeedback.Pipeline.Registry;

namespace HarmoniousFeedback.Pipeline.Views;

/// <summary>
/// A named way to turn a clip into model input — a <em>feature view</em>: the 50-dim LLD segment sequence (<c>lld</c>),
/// clip-level MFCC statistics (<c>mfcc</c>), and, registered by the methods that need them, log-mel spectrograms,
/// score and performance features from MIDI, text tokens. Models name the views they read; the experiment runner
/// extracts each view once per clip (cached on disk), hands aligned views to multi-input models, and fits the view's
/// normaliser on the training rows of each unit only. Implement by deriving from <see cref="FeatureView{TOptions}"/>
/// and register in <see cref="FeatureViewRegistry"/>.
/// </summary>
public interface IFeatureView
{
    /// <summary>The name specs use (<c>lld</c>, <c>mfcc</c>, …).</summary>
    string Name { get; }

    /// <summary>One line: what it computes, with its reference.</summary>
    string Summary { get; }

    /// <summary>The view's own parameters (spec: <c>"features": { "views": { "&lt;name&gt;": { … } } }</c>).</summary>
    IReadOnlyList<ParameterInfo> Parameters { get; }

    /// <summary>Parses and validates the view's parameters on top of the experiment-wide <paramref name="defaults"/>.</summary>
    ConfiguredView Configure(IReadOnlyDictionary<string, JsonElement>? parameters, ViewDefaults defaults, string at = "views");
}
