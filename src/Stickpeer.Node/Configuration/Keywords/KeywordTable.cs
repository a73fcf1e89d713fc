// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Collections;

namespace Stickpeer.Node.Configuration.Keywords;

/// <summary>
/// The keywords HAProxy accepts in one place of its grammar (a section, the words after <c>stats</c>, the
/// options of <c>stats socket</c>, the arguments of a table), in HAProxy's order. Filled with a
/// collection initializer, so that a keyword of a later HAProxy is one added line.
/// </summary>
public sealed class KeywordTable : IEnumerable<Keyword>
{
    private readonly List<Keyword> _ordered = [];
    private readonly Dictionary<string, Keyword> _byName = new(StringComparer.Ordinal);

    public KeywordTable(string context)
    {
        Context = context;
    }

    /// <summary>Where these keywords appear, e.g. <c>peers</c> or <c>stats socket</c>.</summary>
    public string Context { get; }

    public int Count => _ordered.Count;

    /// <summary>Adds a keyword; <paramref name="arguments"/> words follow it; <paramref name="note"/> says what is ignored or why it is refused.</summary>
    public void Add(string name, KeywordSupport support, int arguments = 0, string? note = null)
    {
        var keyword = new Keyword(name, support, arguments, note);
        _byName.Add(name, keyword);
        _ordered.Add(keyword);
    }

    public bool TryGet(string name, out Keyword keyword) => _byName.TryGetValue(name, out keyword!);

    /// <summary>The closest known keyword (at most two edits away), for HAProxy's "Did you mean" hint.</summary>
    public string? Suggest(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        string? best = null;
        var bestDistance = 3;
        foreach (var keyword in _ordered)
        {
            var distance = EditDistance(word, keyword.Name);
            if (distance < bestDistance)
            {
                best = keyword.Name;
                bestDistance = distance;
            }
        }

        return best;
    }

    public IEnumerator<Keyword> GetEnumerator() => _ordered.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours.
    private static int EditDistance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 2)
        {
            return int.MaxValue;
        }

        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
