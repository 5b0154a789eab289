using System.Collections.Frozen;

namespace HarmoniousFeedback.Features.Text;

/// <summary>
/// Emotion words for the leakage check of text features: a title or tag that names the emotion ("sad piano", "relaxing
/// music") gives a text model the label without understanding anything. Two levels:
/// <list type="bullet">
/// <item><b>Core</b> — words that name an emotion or a mood: the single-word adjectives of Russell's (1980) circumplex
/// ("A circumplex model of affect", J. Pers. Soc. Psychol. 39(6), 28 terms; "content" and "at ease" left out as ambiguous),
/// the terms of the Geneva Emotional Music Scale (Zentner, Grandjean &amp; Scherer 2008, Emotion 8(4), GEMS-45/25; "moved",
/// "strong" and "wonder" left out as mostly non-affective in titles), and the affect words frequent in YouTube music
/// titles and tags (counted in EMOPIA's <c>text.jsonl</c> without looking at labels: sad 63 songs, relaxation 59, relaxing 53,
/// emotional 48, calm 17 …), each with its inflections (happy, happier, happiest, happily, happiness, unhappy …), plus the
/// Spanish/Portuguese/Italian/French/German and Korean/Chinese/Japanese equivalents of the frequent ones.</item>
/// <item><b>Extended</b> — Core plus words that are not emotions but name the listening situation or an evaluation strongly
/// tied to a quadrant (sleep, study, focus, meditation, lullaby, workout, party, beautiful, quiet, soft, halloween …).</item>
/// </list>
/// Matching: Latin-script entries match whole words, case-insensitively (a word is a maximal run of letters and
/// apostrophes, so "sad" matches "Sad", "sad," and the stem of "sad's" but not "sadistic"; compounds written as one word, e.g. a hashtag
/// "#sadpiano", are not matched). Entries in scripts without spaces (Hangul, Han, Kana) match as substrings.
/// </summary>
public static class EmotionLexicon
{
    private static readonly string[] CoreWords =
    [
        // Russell (1980) circumplex adjectives
        "happy", "happier", "happiest", "happily", "happiness", "unhappy", "delighted", "delight", "delightful", "excited", "exciting",
        "excitement", "astonished", "aroused", "tense", "tension", "alarmed", "angry", "anger", "angrily", "afraid", "annoyed",
        "distressed", "distress", "frustrated", "frustration", "miserable", "misery", "sad", "sadder", "saddest", "sadly",
        "sadness", "gloomy", "gloom", "depressed", "depressing", "depression", "bored", "boring", "droopy", "tired", "sleepy",
        "calm", "calming", "calmness", "calmly", "relaxed", "relaxing", "relax", "relaxation", "satisfied", "serene", "serenity",
        "glad", "pleased",
        // GEMS terms
        "dazzled", "allured", "admiring", "fascinated", "overwhelmed", "thrills", "affectionate", "sensual", "tender", "tenderness",
        "sentimental", "dreamy", "nostalgic", "nostalgia", "melancholic", "melancholy", "soothed", "soothing", "soothe", "meditative",
        "energetic", "triumphant", "triumph", "fiery", "heroic", "stimulated", "joyful", "joyous", "joy", "animated", "amused",
        "agitated", "nervous", "impatient", "irritated", "sorrowful", "sorrow",
        // frequent mood words of music titles and tags
        "cheerful", "upbeat", "playful", "fun", "funny", "uplifting", "hopeful", "hopeless", "hope", "epic", "powerful", "intense",
        "dramatic", "aggressive", "rage", "furious", "fury", "fear", "fearful", "scared", "scary", "creepy", "spooky", "terror",
        "terrifying", "horror", "horrifying", "dark", "darkness", "sinister", "anxious", "anxiety", "dread", "lonely", "loneliness",
        "grief", "grieving", "tragic", "tragedy", "heartbreaking", "heartbroken", "heartbreak", "cry", "cries", "crying", "tears",
        "tearful", "pain", "painful", "despair", "emotional", "emotion", "emotions", "feelings", "bittersweet", "peaceful", "peace",
        "tranquil", "tranquility", "tranquillity", "chill", "chilled", "mellow", "hypnotic", "comforting", "comfort", "antistress",
        "stress", "stressful", "restless", "placid", "lulling", "pacifying", "blissful", "bliss", "moody", "romantic", "love",
        "loving", "passion", "passionate", "angst", "suspense", "mysterious", "gentle",
        // other languages (frequent ones)
        "triste", "tristeza", "tristesse", "llorar", "miedo", "feliz", "alegre", "alegría", "alegria", "relajante", "tranquilo",
        "tranquila", "melancolía", "melancolia", "malinconia", "traurig", "entspannend", "felice", "paz",
        "슬픈", "슬픔", "잔잔한", "감성", "우울", "행복", "신나는", "편안한", "悲傷", "悲伤", "傷感", "伤感", "放鬆", "放松", "快樂", "快乐",
        "憂鬱", "忧郁", "溫柔", "温柔", "浪漫", "悲しい", "切ない", "感動",
    ];

    private static readonly string[] ExtendedOnlyWords =
    [
        "sleep", "sleeping", "lullaby", "lullabies", "study", "studying", "focus", "concentration", "meditation", "yoga", "spa",
        "massage", "healing", "heal", "workout", "motivation", "motivational", "inspiring", "inspirational", "inspire", "party",
        "dance", "dancing", "beautiful", "lovely", "quiet", "soft", "alone", "broken", "hurt", "battle", "fight", "fighting", "war",
        "victory", "halloween", "funeral", "wonder", "ambient", "pacific", "quieting",
        "잠잘때", "공부할때", "힐링", "安靜", "安静", "輕音樂", "轻音乐", "睡眠", "癒し", "治癒", "治愈", "療癒",
    ];

    /// <summary>The Core entries (lower case).</summary>
    public static IReadOnlyList<string> Core { get; } = [.. CoreWords.Distinct()];

    /// <summary>The Extended entries: Core plus mood-context and evaluative words (lower case).</summary>
    public static IReadOnlyList<string> Extended { get; } = [.. CoreWords.Concat(ExtendedOnlyWords).Distinct()];

    private static readonly FrozenSet<string> CoreWhole = Core.Where(IsSpaced).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    private static readonly FrozenSet<string> ExtendedWhole = Extended.Where(IsSpaced).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    private static readonly string[] CoreSub = [.. Core.Where(w => !IsSpaced(w))];
    private static readonly string[] ExtendedSub = [.. Extended.Where(w => !IsSpaced(w))];

    /// <summary>True for a whole word (a run of letters and apostrophes) that is an entry of the level's list.</summary>
    public static bool IsEmotionWord(string word, EmotionMasking level) => level switch
    {
        EmotionMasking.Core => CoreWhole.Contains(word),
        EmotionMasking.Extended => ExtendedWhole.Contains(word),
        _ => false,
    };

    /// <summary>
    /// The spans [start, start + length) of <paramref name="text"/> to mask at <paramref name="level"/>, ascending and
    /// non-overlapping: whole words of the list, and substrings for entries in scripts without spaces.
    /// </summary>
    public static IReadOnlyList<(int Start, int Length)> Find(string text, EmotionMasking level)
    {
        var spans = new List<(int, int)>();
        if (level == EmotionMasking.None || string.IsNullOrEmpty(text)) return spans;
        for (int i = 0; i < text.Length;)
        {
            if (!IsWordChar(text[i])) { i++; continue; }
            int s = i;
            while (i < text.Length && IsWordChar(text[i])) i++;
            var word = text[s..i].Trim('\'', '’');
            int lead = text[s..i].Length - text[s..i].TrimStart('\'', '’').Length;
            if (word.Length > 2 && (word.EndsWith("'s", StringComparison.Ordinal) || word.EndsWith("’s", StringComparison.Ordinal))
                && !IsEmotionWord(word, level) && IsEmotionWord(word[..^2], level))
                word = word[..^2]; // possessive: "love's" masks "love"
            if (word.Length > 0 && IsEmotionWord(word, level)) spans.Add((s + lead, word.Length));
        }
        foreach (var sub in level == EmotionMasking.Core ? CoreSub : ExtendedSub)
            for (int at = text.IndexOf(sub, StringComparison.Ordinal); at >= 0; at = text.IndexOf(sub, at + sub.Length, StringComparison.Ordinal))
                spans.Add((at, sub.Length));
        spans.Sort();
        var merged = new List<(int Start, int Length)>();
        foreach (var (s, l) in spans)
        {
            if (merged.Count > 0 && s < merged[^1].Start + merged[^1].Length)
            {
                var (ms, ml) = merged[^1];
                merged[^1] = (ms, Math.Max(ms + ml, s + l) - ms);
            }
            else merged.Add((s, l));
        }
        return merged;
    }

    private static bool IsWordChar(char c) => char.IsLetter(c) || c == '\'' || c == '’' || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.SpacingCombiningMark;

    private static bool IsSpaced(string w) => w.All(c => c < 0x1100 || (c >= 0x1E00 && c < 0x2E80));
}
