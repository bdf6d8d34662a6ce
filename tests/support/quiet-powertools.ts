// Powertools' logger and metrics read these once, when lib/log.ts and lib/metrics.ts are evaluated: a
// module that imports the accept handler's factory imports this one first, so that tests print neither.
// Tests that read logs or metrics set them on before importing (tests/observability.test.ts).
process.env.POWERTOOLS_LOG_LEVEL ??= "SILENT";
// Metrics are EMF lines on stdout.
process.env.POWERTOOLS_METRICS_DISABLED ??= "true";
