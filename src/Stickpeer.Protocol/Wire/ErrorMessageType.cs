// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Protocol.Wire;

/// <summary>Types of <see cref="MessageClass.Error"/> messages (2 bytes, no payload).</summary>
public enum ErrorMessageType : byte
{
    /// <summary><c>01 00</c>: protocol error.</summary>
    ProtocolError = 0,

    /// <summary><c>01 01</c>: a message exceeded the receiver's size limit.</summary>
    SizeLimit = 1,
}
