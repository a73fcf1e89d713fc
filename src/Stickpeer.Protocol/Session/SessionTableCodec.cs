// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using Stickpeer.Protocol.Model;

namespace Stickpeer.Protocol.Session;

/// <summary>
/// The session's bridge to the table-message codec (DEFINE and UPDATE encoding/decoding,
/// plus the per-session, per-direction server_key dictionary caches). Interim version
/// until the codec (Stickpeer.Protocol.Wire) is available: remote DEFINEs are treated as
/// unknown tables (ignored, as the protocol allows) and no table messages are written.
/// </summary>
internal sealed class SessionTableCodec
{
    private readonly bool _available;

    public SessionTableCodec(bool available) => _available = available;

    public bool TryParseDefine(in ReadOnlySequence<byte> payload, out uint senderTableId, out TableSchema? schema)
    {
        senderTableId = 0;
        schema = null;
        return _available && !payload.IsEmpty;
    }

    public void ReadUpdate(in ReadOnlySequence<byte> payload, byte type, uint previousId, DecodedUpdate into)
    {
        into.UpdateId = !_available && type is 0x81 or 0x86 ? unchecked(previousId + 1) : previousId;
        into.HasExpire = type is 0x85 or 0x86;
        _ = payload;
    }

    public void WriteDefine(IBufferWriter<byte> writer, uint localTableId, TableSchema schema)
    {
        _ = _available ? writer : null;
        _ = localTableId;
        _ = schema;
    }

    public void WriteUpdate(IBufferWriter<byte> writer, bool timed, uint? explicitId, DecodedUpdate entry)
    {
        _ = _available ? writer : null;
        _ = timed;
        _ = explicitId;
        _ = entry;
    }
}
