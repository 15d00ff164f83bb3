using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Parley.Shared;
using Prometheus;

namespace Parley.Cli.Hosting;

/// <summary>
/// Feeds the Parley meter into a prometheus-net registry, which writes the text format. Not prometheus-net's own
/// MeterAdapter: that one turns every counter into a gauge (no <c>_total</c>, no rate() semantics) and puts the meter's
/// name in front of instruments that already carry it (<c>parley_parley_server_...</c>). Names follow OpenTelemetry's
/// Prometheus mapping instead: dots become underscores, the unit a suffix (<c>_seconds</c>, <c>_bytes</c>), counters end
/// in <c>_total</c>; attributes become labels the same way (<c>server.port</c> → <c>server_port</c>).
/// </summary>
internal sealed class PrometheusBridge : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly IMetricFactory _factory;
    private readonly ConcurrentDictionary<(Instrument Instrument, string LabelNames), object> _metrics = new();

    public PrometheusBridge(CollectorRegistry registry)
    {
        _factory = Metrics.WithCustomRegistry(registry);
        _listener.InstrumentPublished = static (instrument, listener) =>
        {
            if (instrument.Meter.Name == ParleyMeter.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
        registry.AddBeforeCollectCallback(_listener.RecordObservableInstruments);
    }

    public void Dispose() => _listener.Dispose();

    /// <summary><c>parley.server.connection.duration</c> in seconds → <c>parley_server_connection_duration_seconds</c>.</summary>
    public static string MetricName(Instrument instrument)
    {
        var name = LabelName(instrument.Name) + instrument.Unit switch
        {
            "s" => "_seconds",
            "By" => "_bytes",
            _ => "",
        };
        return instrument is Counter<long> or Counter<int> or Counter<double> ? name + "_total" : name;
    }

    private static string LabelName(string name) => name.Replace('.', '_');

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var names = new string[tags.Length];
        var values = new string[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            names[i] = LabelName(tags[i].Key);
            values[i] = Convert.ToString(tags[i].Value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
        }

        var metric = _metrics.GetOrAdd((instrument, string.Join(',', names)), static (key, state) => state.Bridge.Create(key.Instrument, state.Names),
            (Bridge: this, Names: names));
        switch (metric)
        {
            case Counter counter:
                counter.WithLabels(values).Inc(value);
                break;
            case Gauge gauge when instrument is ObservableGauge<long> or ObservableGauge<int> or ObservableGauge<double>
                or ObservableUpDownCounter<long> or ObservableUpDownCounter<int>:
                gauge.WithLabels(values).Set(value);
                break;
            case Gauge gauge:
                gauge.WithLabels(values).Inc(value);
                break;
            case Histogram histogram:
                histogram.WithLabels(values).Observe(value);
                break;
        }
    }

    private object Create(Instrument instrument, string[] labelNames)
    {
        var name = MetricName(instrument);
        var help = instrument.Description ?? instrument.Name;
        return instrument switch
        {
            Counter<long> or Counter<int> or Counter<double> => _factory.CreateCounter(name, help, labelNames),
            Histogram<double> or Histogram<long> => _factory.CreateHistogram(name, help, labelNames, new HistogramConfiguration
            {
                Buckets = instrument.Unit == "s" ? [.. ParleyMeter.DurationBuckets] : Histogram.ExponentialBuckets(1, 2, 16),
            }),
            _ => _factory.CreateGauge(name, help, labelNames),
        };
    }
}
