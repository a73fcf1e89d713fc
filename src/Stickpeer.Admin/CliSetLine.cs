// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using Stickpeer.Protocol.Model;
using Stickpeer.Admin.Tables;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Admin;

/// <summary>
/// The fast path of the one command clients pipeline by the hundred thousand: a plain
/// <c>set table &lt;t&gt; key &lt;k&gt; [data.&lt;type&gt; &lt;value&gt;]*</c> that succeeds, read from
/// the line's characters in place and applied without allocating (no word list, no strings, no
/// key array). It only takes lines it is sure of: anything else (an escape, a <c>;</c>, a
/// character outside printable ASCII, another command, a key type it does not read, any error)
/// is declined before anything changes, and the general path runs the line as before, so every
/// answer and every error stays the general path's.
/// </summary>
internal sealed class CliSetLine
{
    // Data words seen on this connection, e.g. "data.gpc0": a client sends the same few on every line.
    private const int MaxCachedNames = 16;

    // The blanks that separate words (as CliWords), and every character this path reads as itself.
    private static readonly SearchValues<char> s_plain = SearchValues.Create(
        " \t\r\n!\"#$%&'()*+,-./0123456789:<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    private readonly AdminContext _context;
    private readonly Func<string> _apply;
    private readonly (string Word, DataTypeInfo Info, uint Index)[] _names = new (string, DataTypeInfo, uint)[MaxCachedNames];
    private readonly DataAssignment[] _assignments = new DataAssignment[CliWords.MaxWords / 2];
    private readonly byte[] _key = new byte[256];
    private int _nameCount;
    private StickTable? _lastTable;
    private string _lastTableName = string.Empty;

    // What _apply writes, set just before it runs.
    private StickTable? _table;
    private int _keyLength;
    private int _assignmentCount;

    public CliSetLine(AdminContext context)
    {
        _context = context;
        _apply = Apply;
    }

    /// <summary>Runs <paramref name="line"/> if it is a <c>set table</c> line this path takes; false (nothing done) otherwise.</summary>
    public bool TryRun(ReadOnlySpan<char> line, out string answer)
    {
        answer = string.Empty;
        Span<Range> words = stackalloc Range[CliWords.MaxWords];
        var count = Split(line, words);
        if (count < 5 || (count & 1) == 0 || !line[words[0]].SequenceEqual("set") || !line[words[1]].SequenceEqual("table")
            || !line[words[3]].SequenceEqual("key") || !TryTable(line[words[2]], out var table)
            || !TryKey(table, line[words[4]]))
        {
            return false;
        }

        var n = 0;
        for (var i = 5; i < count; i += 2)
        {
            if (!TryName(line[words[i]], out var info, out var index)
                || TableArguments.TryParseAssignment(table, info, index, line[words[i + 1]], hasValue: true, out _assignments[n]) is not null)
            {
                return false;
            }

            n++;
        }

        _table = table;
        _assignmentCount = n;
        answer = _context.Invoke(_apply);
        _table = null;
        return true;
    }

    private string Apply() => TableCommands.SetAnswer(_table!.Set(_key.AsSpan(0, _keyLength), _assignments.AsSpan(0, _assignmentCount)));

    /// <summary>
    /// Words as <see cref="CliWords"/> splits them, for lines without what needs its rules (escapes,
    /// <c>;</c>) and with printable ASCII only; -1 otherwise, or past <see cref="CliWords.MaxWords"/>.
    /// </summary>
    private static int Split(ReadOnlySpan<char> line, Span<Range> words)
    {
        // One vectorised scan for anything else; then the only characters below '!' are the blanks.
        if (line.ContainsAnyExcept(s_plain))
        {
            return -1;
        }

        var count = 0;
        var start = -1;
        for (var i = 0; i <= line.Length; i++)
        {
            if (i < line.Length && line[i] > ' ')
            {
                start = start < 0 ? i : start;
            }
            else if (start >= 0)
            {
                if (count == words.Length)
                {
                    return -1;
                }

                words[count++] = new Range(start, i);
                start = -1;
            }
        }

        return count;
    }

    // The last table found is kept by name: a registry only ever adds tables, so it stays right.
    private bool TryTable(ReadOnlySpan<char> name, out StickTable table)
    {
        if (_lastTable is null || !name.SequenceEqual(_lastTableName))
        {
            var text = name.ToString();
            if (!_context.Tables.TryGetByLocalName(text, out var found))
            {
                table = null!;
                return false;
            }

            (_lastTable, _lastTableName) = (found, text);
        }

        table = _lastTable;
        return true;
    }

    // The key words the general path would read the same: string keys (ASCII here, so their UTF-8
    // bytes are their characters) and IPv4 dotted quads; other forms and types take the general path.
    private bool TryKey(StickTable table, ReadOnlySpan<char> text)
    {
        switch (table.KeyType)
        {
            case StickKeyType.String:
                _keyLength = Math.Min(text.Length, StickKey.MaxKeyLength(StickKeyType.String, table.Schema.KeySize));
                if (_keyLength > _key.Length)
                {
                    return false;
                }

                Encoding.ASCII.GetBytes(text[.._keyLength], _key);
                return true;
            case StickKeyType.IPv4:
                _keyLength = 4;
                return CliKey.DottedQuad(text, _key);
            default:
                return false;
        }
    }

    private bool TryName(ReadOnlySpan<char> word, out DataTypeInfo info, out uint index)
    {
        for (var i = 0; i < _nameCount; i++)
        {
            ref readonly var cached = ref _names[i];
            if (word.SequenceEqual(cached.Word))
            {
                (info, index) = (cached.Info, cached.Index);
                return true;
            }
        }

        var text = word.ToString();
        index = 0;
        if (!text.StartsWith("data.", StringComparison.Ordinal) || !CliDataName.TryParse(text[5..], out var found, out index))
        {
            info = null!;
            return false;
        }

        info = found;
        if (_nameCount < MaxCachedNames)
        {
            _names[_nameCount++] = (text, info, index);
        }

        return true;
    }
}
