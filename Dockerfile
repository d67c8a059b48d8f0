# lmhunt: multi-stage image. The build stage builds with warnings as errors and runs the unit and
# integration tests (the conformance suite and sanitizers run in CI, not here); the runtime stage
# holds only runtime libraries, `lmhunt` and `lmhunt-sim`, runs as a non-root user, and serves
# Streamable HTTP on 0.0.0.0:8080 with a bearer token required (LMHUNT_AUTH_TOKEN).
FROM debian:bookworm AS build
WORKDIR /src
COPY scripts/setup.sh scripts/setup.sh
RUN bash scripts/setup.sh && rm -rf /var/lib/apt/lists/*
COPY . .
RUN cmake --preset ci -DCMAKE_BUILD_TYPE=Release \
 && cmake --build --preset ci -j"$(nproc)" \
 && ctest --test-dir build-ci --output-on-failure -j"$(nproc)"

FROM debian:bookworm-slim AS runtime
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      ca-certificates libspdlog1.10 libfmt9 libcpp-httplib0.11 libssl3 libre2-9 libbrotli1 \
      zlib1g libsqlite3-0 libevtx1 libsimdjson14 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --home-dir /var/lib/lmhunt --shell /usr/sbin/nologin lmhunt \
 && install -d -o lmhunt -g lmhunt /var/lib/lmhunt/state
COPY --from=build /src/build-ci/lmhunt /src/build-ci/lmhunt-sim /usr/local/bin/
USER lmhunt
ENV XDG_STATE_HOME=/var/lib/lmhunt/state
EXPOSE 8080
# /healthz answers 200 without a token; bash's /dev/tcp avoids shipping curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /healthz HTTP/1.0\\r\\nHost: 127.0.0.1:8080\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["lmhunt"]
# A non-loopback bind refuses to start without LMHUNT_AUTH_TOKEN in the environment.
CMD ["serve", "--http", "0.0.0.0:8080", "--allowed-host", "lmhunt", "--allowed-host", "localhost", "--allowed-host", "127.0.0.1"]
