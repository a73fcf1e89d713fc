// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;

namespace Stickpeer.Tables.Engine;

/// <summary>
/// Where each stored data type lives in an entry's row of 32-bit words: integers take one
/// word, 64-bit counters two (low, high), frequency counters three (tick, current, previous);
/// arrays repeat the element. The dictionary type (server_key) lives in a separate string slot.
/// </summary>
internal sealed class ValueLayout
{
    private readonly int[] _offset;
    private readonly int[] _elementWords;
    private readonly int[] _length;
    private readonly uint[] _period;

    public ValueLayout(TableSchema schema)
    {
        _offset = new int[DataTypeCatalogue.Count];
        _elementWords = new int[DataTypeCatalogue.Count];
        _length = new int[DataTypeCatalogue.Count];
        _period = new uint[DataTypeCatalogue.Count];
        Array.Fill(_offset, -1);
        var words = 0;
        foreach (var spec in schema.DataTypes)
        {
            var t = (int)spec.Type;
            var w = WordsOf(spec.Info.Encoding);
            _offset[t] = words;
            _elementWords[t] = w;
            _length[t] = spec.ArrayLength;
            _period[t] = spec.PeriodMs;
            words += w * spec.ArrayLength;
            if (spec.Info.Encoding == DataEncoding.Dictionary)
            {
                HasText = true;
            }
        }

        Words = words;
    }

    /// <summary>Words per entry.</summary>
    public int Words { get; }

    /// <summary>True when the schema stores a dictionary (string) type.</summary>
    public bool HasText { get; }

    public static int WordsOf(DataEncoding encoding) => encoding switch
    {
        DataEncoding.UnsignedLong => 2,
        DataEncoding.FrequencyCounter => 3,
        DataEncoding.Dictionary => 0,
        _ => 1,
    };

    public bool Stores(StickDataType type) => _offset[(int)type] >= 0;

    public int LengthOf(StickDataType type) => _length[(int)type];

    public uint PeriodOf(StickDataType type) => _period[(int)type];

    /// <summary>Word offset of element <paramref name="index"/> of <paramref name="type"/> (caller checked bounds).</summary>
    public int OffsetOf(StickDataType type, int index) => _offset[(int)type] + (index * _elementWords[(int)type]);
}
