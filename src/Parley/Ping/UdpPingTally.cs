using System.Globalization;
using System.Net;
using Parley.Shared;

namespace Parley.Ping;

/// <summary>
/// The bookkeeping of a UDP ping, without sockets: probes sent, datagrams received and deadlines passed go in, the
/// events and counts come out. Replies are matched by run id and sequence number, never by arrival order; a probe is
/// settled once, answered or lost, and a reply after its deadline counts as late, not as a second loss. Not
/// thread-safe: <see cref="UdpPinger"/> serialises the calls.
/// </summary>
internal sealed class UdpPingTally(long runId, int size, TimeSpan replyTimeout, int port, TimeProvider time)
{
    private readonly List<UdpProbeSlot> _slots = [];
    private readonly Queue<int> _waiting = new();
    private int _highestReceived;
    private int _late;
    private int _duplicates;
    private int _reordered;
    private int _corrupted;
    private int _foreign;
    private double _jitterTicks;
    private long? _previousTransitTicks;
    private int _inTime;
    private int _unrepliedLosses;

    /// <summary>The run's id, in every probe.</summary>
    public long RunId => runId;

    /// <summary>Probes waiting for their reply.</summary>
    public int Pending { get; private set; }

    /// <summary>Probes sent so far.</summary>
    public int Sent => _slots.Count;

    /// <summary>When the oldest probe still waiting times out; <see langword="null"/> when none waits.</summary>
    public long? NextDeadline
    {
        get
        {
            Settle();
            return _waiting.TryPeek(out var sequence) ? _slots[sequence - 1].SentAt + Ticks(replyTimeout) : null;
        }
    }

    /// <summary>
    /// Until when late replies are still awaited: the last probe's deadline, while a probe lost to the timeout has had
    /// no late reply; <see langword="null"/> otherwise.
    /// </summary>
    public long? LateWindowEnd => _unrepliedLosses > 0 && _slots.Count > 0 ? _slots[^1].SentAt + Ticks(replyTimeout) : null;

    /// <summary>What to check when a probe got no reply.</summary>
    public static string NoReplyHint =>
        "no reply came back: the probe or its echo was lost on the way (UDP is never resent), the server is not a UDP echo, "
        + "or a firewall drops UDP silently (a TCP connection getting through says nothing about UDP)";

    /// <summary>What to check when nothing listens on the port.</summary>
    public static string UnreachableHint(int port) =>
        $"the host answered that no program receives on UDP port {port} (ICMP port unreachable): is the UDP echo running "
        + "(parley serve echo --udp), on this port and this address?";

    /// <summary>Records the probe about to be sent at <paramref name="sentAt"/>; returns its sequence number, from 1.</summary>
    public int Sending(long sentAt)
    {
        _slots.Add(new UdpProbeSlot(sentAt));
        _waiting.Enqueue(_slots.Count);
        Pending++;
        return _slots.Count;
    }

    /// <summary>Classifies a datagram received at <paramref name="now"/> from <paramref name="from"/>.</summary>
    public UdpPingEvent Received(ReadOnlySpan<byte> datagram, IPEndPoint from, long now)
    {
        if (!UdpProbePayload.TryReadHeader(datagram, out var run, out var sequence, out _) || run != runId)
        {
            _foreign++;
            return new UdpPingEvent
            {
                Kind = UdpPingEventKind.Foreign,
                From = from,
                Bytes = datagram.Length,
                Message = string.Create(CultureInfo.InvariantCulture, $"{datagram.Length} bytes from {from} that are no reply of this run: {DataPreview.Of(datagram, 32)}"),
            };
        }

        if (sequence < 1 || sequence > _slots.Count)
        {
            return Corrupted(from, sequence, datagram.Length, string.Create(CultureInfo.InvariantCulture, $"probe number {sequence} was never sent"));
        }

        var slot = _slots[sequence - 1];
        var difference = UdpProbePayload.FirstDifference(datagram, sequence, slot.SentAt, size);
        if (difference >= 0)
        {
            return Corrupted(from, sequence, datagram.Length, datagram.Length != size
                ? string.Create(CultureInfo.InvariantCulture, $"{datagram.Length} bytes instead of {size}")
                : string.Create(CultureInfo.InvariantCulture, $"differs from what was sent from byte {difference}"));
        }

        var roundTrip = time.GetElapsedTime(slot.SentAt, now);
        if (slot.Copies++ > 0)
        {
            _duplicates++;
            return Reply(UdpPingEventKind.Duplicate, sequence, from, datagram.Length, roundTrip, reordered: false, probe: null);
        }

        // RFC 4737: a packet whose sequence number is lower than one already received is reordered.
        var reordered = sequence < _highestReceived;
        _highestReceived = Math.Max(_highestReceived, sequence);
        slot.Reordered = reordered;
        if (reordered)
        {
            _reordered++;
        }

        if (slot.Result is not null || roundTrip >= replyTimeout)
        {
            // Lost first (if its deadline passed before anyone noticed), then late: counted once each, never twice lost.
            var lost = slot.Result is null ? Lose(sequence, ProbeStatus.NoEcho, NoReplyMessage, NoReplyHint) : null;
            _late++;
            _unrepliedLosses -= slot.Result?.Status == ProbeStatus.NoEcho ? 1 : 0;
            slot.LateRoundTrip = roundTrip;
            return Reply(UdpPingEventKind.Late, sequence, from, datagram.Length, roundTrip, reordered, lost?.Probe);
        }

        slot.Result = new ProbeResult
        {
            Sequence = sequence,
            Status = ProbeStatus.Answered,
            EndPoint = from,
            RoundTrip = roundTrip,
            BytesSent = size,
            BytesReceived = datagram.Length,
        };
        Pending--;
        Jitter(roundTrip);
        return Reply(UdpPingEventKind.Answered, sequence, from, datagram.Length, roundTrip, reordered, slot.Result);
    }

    /// <summary>Every probe whose reply timeout has passed by <paramref name="now"/> without a reply, now lost.</summary>
    public List<UdpPingEvent> Expire(long now)
    {
        var lost = new List<UdpPingEvent>();
        while (NextDeadline is { } deadline && deadline <= now)
        {
            lost.Add(Lose(_waiting.Peek(), ProbeStatus.NoEcho, NoReplyMessage, NoReplyHint));
        }

        return lost;
    }

    /// <summary>
    /// The system reported that probe <paramref name="sequence"/> (sending failed), or else the oldest probe waiting
    /// (an ICMP error came back), cannot be answered: it is lost now, with <paramref name="message"/>.
    /// <see langword="null"/> when that probe is settled already or none waits.
    /// </summary>
    public UdpPingEvent? Fail(int? sequence, ProbeStatus status, string message, string hint)
    {
        Settle();
        if (sequence is { } given)
        {
            return _slots[given - 1].Result is null ? Lose(given, status, message, hint) : null;
        }

        return _waiting.TryPeek(out var oldest) ? Lose(oldest, status, message, hint) : null;
    }

    /// <summary>The report of the probes settled so far.</summary>
    public UdpPingReport Report(string host, IReadOnlyList<IPAddress> addresses, TimeSpan elapsed, bool interrupted)
    {
        var probes = _slots.Where(s => s.Result is not null)
            .Select(s => new UdpProbeResult(s.Result!, s.LateRoundTrip, Math.Max(0, s.Copies - 1), s.Reordered))
            .ToList();
        var results = probes.Select(p => p.Result).ToList();
        var roundTrips = results.Where(r => r.IsAnswered).Select(r => r.RoundTrip!.Value).ToList();
        TimeSpan? median = null;
        TimeSpan? deviation = null;
        if (roundTrips.Count > 0)
        {
            var sorted = roundTrips.Order().ToList();
            median = LatencySummary.Percentile(sorted, 50);
            var mean = roundTrips.Average(t => (double)t.Ticks);
            var variance = roundTrips.Average(t => ((double)t.Ticks - mean) * ((double)t.Ticks - mean));
            deviation = TimeSpan.FromTicks((long)Math.Round(Math.Sqrt(variance)));
        }

        return new UdpPingReport
        {
            Ping = PingReport.Of(host, port, addresses, results, elapsed, interrupted),
            Probes = probes,
            Late = _late,
            Duplicates = _duplicates,
            Reordered = _reordered,
            Corrupted = _corrupted,
            Foreign = _foreign,
            InFlight = Pending,
            RoundTripMedian = median,
            RoundTripDeviation = deviation,
            InterarrivalJitter = _inTime < 2 ? null : TimeSpan.FromTicks((long)Math.Round(_jitterTicks)),
        };
    }

    private string NoReplyMessage => $"no reply within {Durations.Format(replyTimeout)}";

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * time.TimestampFrequency);

    private static UdpPingEvent Reply(
        UdpPingEventKind kind, int sequence, IPEndPoint from, int bytes, TimeSpan roundTrip, bool reordered, ProbeResult? probe) => new()
        {
            Kind = kind,
            Sequence = sequence,
            From = from,
            Bytes = bytes,
            RoundTrip = roundTrip,
            Reordered = reordered,
            Probe = probe,
        };

    private UdpPingEvent Corrupted(IPEndPoint from, int sequence, int bytes, string what)
    {
        _corrupted++;
        return new UdpPingEvent
        {
            Kind = UdpPingEventKind.Corrupted,
            Sequence = sequence,
            From = from,
            Bytes = bytes,
            Message = string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes from {from} claim to answer probe {sequence}, but {what}"),
        };
    }

    private UdpPingEvent Lose(int sequence, ProbeStatus status, string message, string hint)
    {
        var slot = _slots[sequence - 1];
        slot.Result = new ProbeResult { Sequence = sequence, Status = status, BytesSent = size, Message = message, Hint = hint };
        Pending--;
        _unrepliedLosses += status == ProbeStatus.NoEcho ? 1 : 0;
        Settle();
        return new UdpPingEvent { Kind = UdpPingEventKind.Lost, Sequence = sequence, Message = message, Probe = slot.Result };
    }

    /// <summary>RFC 3550, 6.4.1 and A.8: J += (|D(i-1,i)| - J) / 16, D the change in transit time (here the round trip).</summary>
    private void Jitter(TimeSpan roundTrip)
    {
        _inTime++;
        if (_previousTransitTicks is { } previous)
        {
            var d = Math.Abs(roundTrip.Ticks - previous);
            _jitterTicks += (d - _jitterTicks) / 16;
        }

        _previousTransitTicks = roundTrip.Ticks;
    }

    /// <summary>Drops the settled probes from the front of the queue of those waiting.</summary>
    private void Settle()
    {
        while (_waiting.TryPeek(out var sequence) && _slots[sequence - 1].Result is not null)
        {
            _waiting.Dequeue();
        }
    }
}
