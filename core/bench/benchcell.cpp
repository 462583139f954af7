#include "core/bench/benchcell.h"

#include <QJsonArray>

#include <cmath>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

double rounded(double value)
{
    return std::round(value * 1000.0) / 1000.0;
}

bool meetsSlo(const BenchSample &sample, const BenchSlo &slo)
{
    if (!sample.ok())
        return false;
    if (slo.ttftMs && (!sample.ttftMs || *sample.ttftMs > *slo.ttftMs))
        return false;
    if (slo.tpotMs) {
        const auto tpot = sample.tpotMs();
        if (tpot && *tpot > *slo.tpotMs)
            return false;
    }
    return !(slo.e2eMs && sample.e2eMs > *slo.e2eMs);
}

std::optional<double> meanOf(const QList<double> &values)
{
    if (values.isEmpty())
        return std::nullopt;
    double sum = 0;
    for (double v : values)
        sum += v;
    return sum / double(values.size());
}

} // namespace

BenchCell BenchCell::summarise(const BenchTarget &target, const BenchSuite &suite, int loadIndex, int promptTokens,
                               const QList<QList<BenchSample>> &repetitionSamples, const QList<double> &repetitionSeconds)
{
    BenchCell cell;
    cell.target = target;
    cell.mode = suite.mode;
    if (suite.mode == BenchLoadMode::Concurrency)
        cell.concurrency = suite.concurrency.value(loadIndex);
    else
        cell.rate = suite.rates.value(loadIndex);
    cell.promptTokens = promptTokens;

    QList<double> ttft, tpot, itl, e2e, hostPrompt, hostPredicted;
    double reqPerS = 0, outPerS = 0, totalPerS = 0, goodPerS = 0;
    for (qsizetype r = 0; r < repetitionSamples.size(); ++r) {
        const QList<BenchSample> &samples = repetitionSamples[r];
        const double seconds = qMax(1e-9, repetitionSeconds.value(r));
        QList<double> repTtft, repTpot, repE2e;
        qint64 outputTokens = 0, totalTokens = 0;
        int ok = 0, good = 0;
        BenchRepetition rep;
        rep.durationS = seconds;
        for (const BenchSample &s : samples) {
            cell.samples << s;
            ++cell.requests;
            ++rep.requests;
            if (!s.ok()) {
                ++cell.errors;
                ++rep.errors;
                ++cell.errorsByKind[benchErrorKindName(s.error)];
                continue;
            }
            ++ok;
            good += meetsSlo(s, suite.slo) ? 1 : 0;
            outputTokens += s.outputTokens;
            totalTokens += s.outputTokens + s.promptTokens.value_or(promptTokens);
            if (s.ttftMs)
                repTtft << *s.ttftMs;
            if (const auto t = s.tpotMs())
                repTpot << *t;
            repE2e << s.e2eMs;
            itl << s.itlMs;
            if (s.hostPromptPerSecond)
                hostPrompt << *s.hostPromptPerSecond;
            if (s.hostPredictedPerSecond)
                hostPredicted << *s.hostPredictedPerSecond;
        }
        rep.ttftP50Ms = BenchDistribution::of(repTtft).p50;
        rep.tpotP50Ms = BenchDistribution::of(repTpot).p50;
        rep.e2eP50Ms = BenchDistribution::of(repE2e).p50;
        rep.reqPerS = ok / seconds;
        rep.outputTokPerS = double(outputTokens) / seconds;
        cell.repetitions << rep;
        reqPerS += rep.reqPerS;
        outPerS += rep.outputTokPerS;
        totalPerS += double(totalTokens) / seconds;
        goodPerS += good / seconds;
        ttft << repTtft;
        tpot << repTpot;
        e2e << repE2e;
    }
    const double n = qMax<qsizetype>(1, repetitionSamples.size());
    cell.reqPerS = reqPerS / n;
    cell.outputTokPerS = outPerS / n;
    cell.totalTokPerS = totalPerS / n;
    cell.goodputReqPerS = suite.slo.isEmpty() ? cell.reqPerS : goodPerS / n;
    cell.ttftMs = BenchDistribution::of(ttft);
    cell.tpotMs = BenchDistribution::of(tpot);
    cell.itlMs = BenchDistribution::of(itl);
    cell.e2eMs = BenchDistribution::of(e2e);
    cell.hostPromptPerSecond = meanOf(hostPrompt);
    cell.hostPredictedPerSecond = meanOf(hostPredicted);
    if (cell.errors > 0)
        cell.flags << kBenchFlagErrors.toString();
    if (cell.requests > 0 && cell.errors == cell.requests)
        cell.flags << kBenchFlagNoSuccess.toString();
    return cell;
}

QString BenchCell::loadLabel() const
{
    return mode == BenchLoadMode::Concurrency ? u"c=%1"_s.arg(concurrency) : u"rate=%1/s"_s.arg(rate);
}

QJsonObject BenchCell::toJson() const
{
    QJsonObject errorsJson;
    for (auto it = errorsByKind.cbegin(); it != errorsByKind.cend(); ++it)
        errorsJson.insert(it.key(), it.value());
    QJsonArray reps;
    for (const BenchRepetition &r : repetitions)
        reps << QJsonObject{{u"ttft_p50_ms"_s, rounded(r.ttftP50Ms)},
                            {u"tpot_p50_ms"_s, rounded(r.tpotP50Ms)},
                            {u"e2e_p50_ms"_s, rounded(r.e2eP50Ms)},
                            {u"req_per_s"_s, rounded(r.reqPerS)},
                            {u"output_tok_per_s"_s, rounded(r.outputTokPerS)},
                            {u"requests"_s, r.requests},
                            {u"errors"_s, r.errors},
                            {u"duration_s"_s, rounded(r.durationS)}};
    QJsonObject json{
        {u"target"_s, target.text},
        {u"prompt_tokens"_s, promptTokens},
        {u"requests"_s, requests},
        {u"errors"_s, errors},
        {u"errors_by_kind"_s, errorsJson},
        {u"ttft_ms"_s, ttftMs.toJson()},
        {u"tpot_ms"_s, tpotMs.toJson()},
        {u"itl_ms"_s, itlMs.toJson()},
        {u"e2e_ms"_s, e2eMs.toJson()},
        {u"req_per_s"_s, rounded(reqPerS)},
        {u"output_tok_per_s"_s, rounded(outputTokPerS)},
        {u"total_tok_per_s"_s, rounded(totalTokPerS)},
        {u"goodput_req_per_s"_s, rounded(goodputReqPerS)},
        {u"host_prompt_per_second"_s, hostPromptPerSecond ? QJsonValue(rounded(*hostPromptPerSecond)) : QJsonValue()},
        {u"host_predicted_per_second"_s, hostPredictedPerSecond ? QJsonValue(rounded(*hostPredictedPerSecond)) : QJsonValue()},
        {u"foreign_requests"_s, foreignRequests ? QJsonValue(*foreignRequests) : QJsonValue()},
        {u"reruns"_s, reruns},
        {u"repetitions"_s, reps},
        {u"flags"_s, QJsonArray::fromStringList(flags)},
    };
    if (mode == BenchLoadMode::Concurrency)
        json.insert(u"concurrency"_s, concurrency);
    else
        json.insert(u"rate"_s, rate);
    return json;
}

QJsonObject BenchCell::formulas()
{
    return QJsonObject{
        {u"ttft_ms"_s, u"request bytes sent -> first chunk with content (or reasoning_content), client clock"_s},
        {u"tpot_ms"_s, u"(e2e - ttft) / (output tokens - 1), per request with at least 2 output tokens"_s},
        {u"itl_ms"_s, u"gaps between consecutive content chunks, pooled over all requests of the cell"_s},
        {u"e2e_ms"_s, u"request bytes sent -> last byte of the answer"_s},
        {u"percentiles"_s, u"linear interpolation between closest ranks (numpy default); stddev with n - 1"_s},
        {u"req_per_s"_s, u"successful requests / measured seconds (first request sent -> last ended), mean over repetitions"_s},
        {u"output_tok_per_s"_s,
         u"output tokens (usage.completion_tokens, else content chunks) / measured seconds, mean over repetitions"_s},
        {u"total_tok_per_s"_s, u"(prompt + output tokens) / measured seconds, mean over repetitions"_s},
        {u"goodput_req_per_s"_s, u"successful requests meeting every SLO / measured seconds, mean over repetitions"_s},
        {u"host_timings"_s, u"mean of the host's own timings.prompt_per_second / predicted_per_second (llama-server)"_s},
        {u"foreign_requests"_s, u"requests the target host finished during the cell that were not the bench's (activity rows)"_s},
    };
}

} // namespace boo
