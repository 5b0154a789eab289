namespace HarmoniousFeedback.Experiments;

public enum DatasetKind { Synthetic, Emopia, Vgmidi, Folder }
