export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness: the process is up and answering
         * @description Liveness: the process is up and answering
         *
         *     **Required role:** none (public).
         *
         *     **Errors:** .
         */
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness: the event store and the read models answer
         * @description Readiness: the event store and the read models answer
         *
         *     **Required role:** none (public).
         *
         *     **Errors:** .
         */
        get: operations["ready"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics
         * @description Prometheus metrics of this process. They span every tenant, so they need a key bound to `*`.
         *
         *     **Required role:** viewer, with a key bound to tenant "*".
         *
         *     **Errors:** 401 (No API key, or an unknown one); 403 (The key’s role (or tenant scope) does not allow this); 429 (Rate limited; see Retry-After).
         */
        get: operations["metrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Backend, uptime, version, and every projection’s position, stream head, lag and rebuild
         * @description Backend, uptime, version, and every projection’s position, stream head, lag and rebuild
         *
         *     **Required role:** viewer.
         *
         *     **Errors:** 401 (No API key, or an unknown one); 429 (Rate limited; see Retry-After).
         */
        get: operations["getStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This OpenAPI 3.1 document
         * @description This OpenAPI 3.1 document
         *
         *     **Required role:** none (public).
         *
         *     **Errors:** 429 (Rate limited; see Retry-After).
         */
        get: operations["getOpenApi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/config/effective": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The effective config for an org, team, workflow and step
         * @description system → org → team → workflow → step, shallow merge (a top-level key of a later level replaces the earlier value whole), from the config read model. Pass the `position` of a config write as `min_position` to read it.
         *
         *     **Required role:** viewer.
         *
         *     **Errors:** 400 (Invalid request; `field` names the offending field); 401 (No API key, or an unknown one); 404 (Not found (another tenant’s resource is not found either)); 429 (Rate limited; see Retry-After); 503 (Not ready, or the read model is behind; see Retry-After).
         */
        get: operations["getEffectiveConfig"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/config/{scope}/{scope_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One config document, as the event store has it now
         * @description One config document, as the event store has it now
         *
         *     **Required role:** viewer.
         *
         *     **Errors:** 400 (Invalid request; `field` names the offending field); 401 (No API key, or an unknown one); 404 (Not found (another tenant’s resource is not found either)); 414 (A path parameter is longer than the router accepts (512 characters)); 429 (Rate limited; see Retry-After).
         */
        get: operations["getConfigDocument"];
        /**
         * Write a whole config document
         * @description Replaces the document (a new revision). Writing the data it already has changes nothing (`changed: false`, same revision). `If-Match: "<revision>"` makes the write conditional (412 on a mismatch).
         *
         *     **Required role:** admin.
         *
         *     **Errors:** 400 (Invalid request; `field` names the offending field); 401 (No API key, or an unknown one); 403 (The key’s role (or tenant scope) does not allow this); 404 (Not found (another tenant’s resource is not found either)); 409 (The resource’s state does not allow this, or it kept changing); 412 (If-Match does not hold: the document is at another revision); 413 (The body is larger than the configured limit); 414 (A path parameter is longer than the router accepts (512 characters)); 415 (The body is not JSON); 429 (Rate limited; see Retry-After).
         */
        put: operations["putConfigDocument"];
        post?: never;
        /**
         * Delete a config document (its history is kept)
         * @description Delete a config document (its history is kept)
         *
         *     **Required role:** admin.
         *
         *     **Errors:** 400 (Invalid request; `field` names the offending field); 401 (No API key, or an unknown one); 403 (The key’s role (or tenant scope) does not allow this); 404 (Not found (another tenant’s resource is not found either)); 409 (The resource’s state does not allow this, or it kept changing); 412 (If-Match does not hold: the document is at another revision); 413 (The body is larger than the configured limit); 414 (A path parameter is longer than the router accepts (512 characters)); 415 (The body is not JSON); 429 (Rate limited; see Retry-After).
         */
        delete: operations["deleteConfigDocument"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/config/{scope}/{scope_id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who changed a config document, and how
         * @description Every change, oldest first: type, time, actor, trace id, position, revision and the data written.
         *
         *     **Required role:** viewer.
         *
         *     **Errors:** 400 (Invalid request; `field` names the offending field); 401 (No API key, or an unknown one); 404 (Not found (another tenant’s resource is not found either)); 414 (A path parameter is longer than the router accepts (512 characters)); 429 (Rate limited; see Retry-After).
         */
        get: operations["listConfigDocumentEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projections/{name}/rebuild": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rebuild a read model from the event streams, in the background
         * @description Builds the projection into a fresh keyspace from position 1 of its streams and switches reads over atomically once caught up. Answers at once; progress is in /api/v1/status. A rebuild already running is 409. The projections are `jobs`, `jobs_due`, `job_queues` and `config`.
         *
         *     **Required role:** admin, with a key bound to tenant "*".
         *
         *     **Errors:** 400 (Invalid request; `field` names the offending field); 401 (No API key, or an unknown one); 403 (The key’s role (or tenant scope) does not allow this); 404 (Not found (another tenant’s resource is not found either)); 409 (The resource’s state does not allow this, or it kept changing); 413 (The body is larger than the configured limit); 414 (A path parameter is longer than the router accepts (512 characters)); 415 (The body is not JSON); 429 (Rate limited; see Retry-After).
         */
        post: operations["rebuildProjection"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live events (Server-Sent Events), resumable with Last-Event-ID
         * @description Live events (Server-Sent Events), resumable with Last-Event-ID
         *
         *     **Required role:** viewer.
         *
         *     **Errors:** 400 (Invalid request; `field` names the offending field); 401 (No API key, or an unknown one); 429 (Rate limited; see Retry-After).
         */
        get: operations["streamEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List jobs, newest first
         * @description One supported filter (alone or with `state`) per request; any other combination is 400 naming the supported ones. `next_cursor` is null on the last page.
         *
         *     **Required role:** viewer.
         *
         *     **Errors:** 400 (Invalid request; `field` names the offending field); 401 (No API key, or an unknown one); 404 (Not found (another tenant’s resource is not found either)); 429 (Rate limited; see Retry-After); 503 (Not ready, or the read model is behind; see Retry-After).
         */
        get: operations["listJobs"];
        put?: never;
        /**
         * Submit a job
         * @description Answers 202 with the new job. With an idempotency key (`Idempotency-Key` header or `idempotency_key`), the same key and body answer the original job with 200; the same key with another body is 409, as is a `job_id` already used in the tenant. A payload over 256 KiB is 413 naming `payload`. A W3C `traceparent` header becomes the job’s `trace_id` (unless the body names one) and its `env.traceparent`.
         *
         *     **Required role:** operator.
         *
         *     **Errors:** 400 (Invalid request; `field` names the offending field); 401 (No API key, or an unknown one); 403 (The key’s role (or tenant scope) does not allow this); 404 (Not found (another tenant’s resource is not found either)); 409 (The resource’s state does not allow this, or it kept changing); 413 (The body is larger than the configured limit); 415 (The body is not JSON); 429 (Rate limited; see Retry-After).
         */
        post: operations["submitJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One job, as the event store knows it (optionally waiting until it finishes)
         * @description Authoritative: folded from the job's events, never from a read model. `?wait=30s` long-polls until the job is terminal or the wait ends (at most 60 s), then answers 200 with the state it has.
         *
         *     **Required role:** viewer.
         *
         *     **Errors:** 400 (Invalid request; `field` names the offending field); 401 (No API key, or an unknown one); 404 (Not found (another tenant’s resource is not found either)); 414 (A path parameter is longer than the router accepts (512 characters)); 429 (Rate limited; see Retry-After).
         */
        get: operations["getJob"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every event of one job, oldest first
         * @description The job’s whole history from the event store (and the archive, once its events left the stream): type, time, data, position, actor, trace/causation/correlation ids. Pages with `cursor` (`next_cursor` is null on the last page).
         *
         *     **Required role:** viewer.
         *
         *     **Errors:** 400 (Invalid request; `field` names the offending field); 401 (No API key, or an unknown one); 404 (Not found (another tenant’s resource is not found either)); 414 (A path parameter is longer than the router accepts (512 characters)); 429 (Rate limited; see Retry-After).
         */
        get: operations["listJobEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel every job a list filter matches (a bulk operation)
         * @description Recorded as an operation (its own event stream) that runs in the background, page by page; its progress is at `GET /api/v1/operations/{id}`. Finished jobs are left as they are.
         *
         *     **Required role:** operator.
         *
         *     **Errors:** 400 (Invalid request; `field` names the offending field); 401 (No API key, or an unknown one); 403 (The key’s role (or tenant scope) does not allow this); 404 (Not found (another tenant’s resource is not found either)); 409 (The resource’s state does not allow this, or it kept changing); 413 (The body is larger than the configured limit); 415 (The body is not JSON); 429 (Rate limited; see Retry-After).
         */
        post: operations["cancelJobs"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a job
         * @description A job not yet finished becomes CANCELLED at once and its worker is told to stop; a finished job answers 200 with its state, unchanged.
         *
         *     **Required role:** operator.
         *
         *     **Errors:** 400 (Invalid request; `field` names the offending field); 401 (No API key, or an unknown one); 403 (The key’s role (or tenant scope) does not allow this); 404 (Not found (another tenant’s resource is not found either)); 409 (The resource’s state does not allow this, or it kept changing); 413 (The body is larger than the configured limit); 414 (A path parameter is longer than the router accepts (512 characters)); 415 (The body is not JSON); 429 (Rate limited; see Retry-After).
         */
        post: operations["cancelJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/operations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A bulk operation’s status and progress
         * @description A bulk operation’s status and progress
         *
         *     **Required role:** viewer.
         *
         *     **Errors:** 400 (Invalid request; `field` names the offending field); 401 (No API key, or an unknown one); 404 (Not found (another tenant’s resource is not found either)); 414 (A path parameter is longer than the router accepts (512 characters)); 429 (Rate limited; see Retry-After).
         */
        get: operations["getOperation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/approvals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Jobs waiting for approval, newest first
         * @description From the `jobs` read model (pass a command’s `position` as `min_position` to read it). Answer one with its `request_hash`; the job itself (`GET /api/v1/jobs/{id}`) shows the same fields from the event store.
         *
         *     **Required role:** viewer.
         *
         *     **Errors:** 400 (Invalid request; `field` names the offending field); 401 (No API key, or an unknown one); 404 (Not found (another tenant’s resource is not found either)); 429 (Rate limited; see Retry-After); 503 (Not ready, or the read model is behind; see Retry-After).
         */
        get: operations["listApprovals"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/approvals/{job_id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve a job waiting for approval
         * @description The job is dispatched under the approved decision, with no second safety check. A `request_hash` other than the one waiting, a safety policy changed since the request, an expired request, or a job not waiting for approval is 409, and nothing is written.
         *
         *     **Required role:** operator.
         *
         *     **Errors:** 400 (Invalid request; `field` names the offending field); 401 (No API key, or an unknown one); 403 (The key’s role (or tenant scope) does not allow this); 404 (Not found (another tenant’s resource is not found either)); 409 (The resource’s state does not allow this, or it kept changing); 413 (The body is larger than the configured limit); 414 (A path parameter is longer than the router accepts (512 characters)); 415 (The body is not JSON); 429 (Rate limited; see Retry-After).
         */
        post: operations["approveJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/approvals/{job_id}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reject a job waiting for approval
         * @description The job becomes DENIED and is dead-lettered (`approval_rejected`). A `request_hash` other than the one waiting, a safety policy changed since the request, an expired request, or a job not waiting for approval is 409, and nothing is written.
         *
         *     **Required role:** operator.
         *
         *     **Errors:** 400 (Invalid request; `field` names the offending field); 401 (No API key, or an unknown one); 403 (The key’s role (or tenant scope) does not allow this); 404 (Not found (another tenant’s resource is not found either)); 409 (The resource’s state does not allow this, or it kept changing); 413 (The body is larger than the configured limit); 414 (A path parameter is longer than the router accepts (512 characters)); 415 (The body is not JSON); 429 (Rate limited; see Retry-After).
         */
        post: operations["rejectJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dlq": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * DLQ entries, newest first
         * @description From the `dlq` read model: filter by `topic` or `reason_code` (one of them) and a time range; `next_cursor` is null on the last page. Pass a command’s `position` as `min_position` to read it.
         *
         *     **Required role:** viewer.
         *
         *     **Errors:** 400 (Invalid request; `field` names the offending field); 401 (No API key, or an unknown one); 404 (Not found (another tenant’s resource is not found either)); 429 (Rate limited; see Retry-After); 503 (Not ready, or the read model is behind; see Retry-After).
         */
        get: operations["listDlq"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dlq/{job_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One DLQ entry with its full original request
         * @description From the event store (authoritative). A deleted entry is 404 (its history is kept).
         *
         *     **Required role:** viewer.
         *
         *     **Errors:** 400 (Invalid request; `field` names the offending field); 401 (No API key, or an unknown one); 404 (Not found (another tenant’s resource is not found either)); 414 (A path parameter is longer than the router accepts (512 characters)); 429 (Rate limited; see Retry-After).
         */
        get: operations["getDlqEntry"];
        put?: never;
        post?: never;
        /**
         * Delete a DLQ entry (marked deleted; its history is kept)
         * @description Deleting a deleted entry changes nothing (204 again).
         *
         *     **Required role:** operator.
         *
         *     **Errors:** 400 (Invalid request; `field` names the offending field); 401 (No API key, or an unknown one); 403 (The key’s role (or tenant scope) does not allow this); 404 (Not found (another tenant’s resource is not found either)); 409 (The resource’s state does not allow this, or it kept changing); 413 (The body is larger than the configured limit); 414 (A path parameter is longer than the router accepts (512 characters)); 415 (The body is not JSON); 429 (Rate limited; see Retry-After).
         */
        delete: operations["deleteDlqEntry"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dlq/{job_id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Retry a DLQ entry as a new job
         * @description Creates the job `<job_id>.r1` with the full original request (minus its idempotency key), `retry_of` naming the entry: 201. Retrying an entry already retried answers the same job: 200.
         *
         *     **Required role:** operator.
         *
         *     **Errors:** 400 (Invalid request; `field` names the offending field); 401 (No API key, or an unknown one); 403 (The key’s role (or tenant scope) does not allow this); 404 (Not found (another tenant’s resource is not found either)); 409 (The resource’s state does not allow this, or it kept changing); 413 (The body is larger than the configured limit); 414 (A path parameter is longer than the router accepts (512 characters)); 415 (The body is not JSON); 429 (Rate limited; see Retry-After).
         */
        post: operations["retryDlqEntry"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dlq/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Retry every DLQ entry a filter matches (a bulk operation)
         * @description Recorded as an operation that runs in the background, page by page; progress at `GET /api/v1/operations/{id}`. Entries retried before are not retried again.
         *
         *     **Required role:** operator.
         *
         *     **Errors:** 400 (Invalid request; `field` names the offending field); 401 (No API key, or an unknown one); 403 (The key’s role (or tenant scope) does not allow this); 404 (Not found (another tenant’s resource is not found either)); 409 (The resource’s state does not allow this, or it kept changing); 413 (The body is larger than the configured limit); 415 (The body is not JSON); 429 (Rate limited; see Retry-After).
         */
        post: operations["retryDlqEntries"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live workers and their load
         * @description Every worker whose last heartbeat is younger than the registry TTL, ordered by id, with the load least-loaded dispatch compares. Workers are shared by every tenant.
         *
         *     **Required role:** viewer.
         *
         *     **Errors:** 400 (Invalid request; `field` names the offending field); 401 (No API key, or an unknown one); 404 (Not found (another tenant’s resource is not found either)); 429 (Rate limited; see Retry-After).
         */
        get: operations["listWorkers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events/parked": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Inputs parked after repeated failures
         * @description Oldest first, each with its error, attempts and the input itself.
         *
         *     **Required role:** operator, with a key bound to tenant "*".
         *
         *     **Errors:** 401 (No API key, or an unknown one); 403 (The key’s role (or tenant scope) does not allow this); 429 (Rate limited; see Retry-After).
         */
        get: operations["listParkedInputs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events/parked/{id}/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replay a parked input
         * @description Runs the input’s handler again in this process. Handled: it is unparked (200). Failed again: it stays parked, 409 with the error.
         *
         *     **Required role:** admin, with a key bound to tenant "*".
         *
         *     **Errors:** 400 (Invalid request; `field` names the offending field); 401 (No API key, or an unknown one); 403 (The key’s role (or tenant scope) does not allow this); 404 (Not found (another tenant’s resource is not found either)); 409 (The resource’s state does not allow this, or it kept changing); 413 (The body is larger than the configured limit); 414 (A path parameter is longer than the router accepts (512 characters)); 415 (The body is not JSON); 429 (Rate limited; see Retry-After).
         */
        post: operations["replayParkedInput"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workflows": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List workflows, newest first
         * @description From the `workflows` read model: live workflows (deleted ones too with `include_deleted=true`), by creation time; `next_cursor` is null on the last page. Pass a command’s `position` as `min_position` to read it.
         *
         *     **Required role:** viewer.
         *
         *     **Errors:** 400 (Invalid request; `field` names the offending field); 401 (No API key, or an unknown one); 404 (Not found (another tenant’s resource is not found either)); 429 (Rate limited; see Retry-After); 503 (Not ready, or the read model is behind; see Retry-After).
         */
        get: operations["listWorkflows"];
        put?: never;
        /**
         * Create a workflow (its version 1)
         * @description Saving validates the definition: unknown `depends_on`, cycles, bad expressions or schemas, unknown step types are 400 naming the step and the field. An `id` already used in the org is 409 (a new version is a `PUT`).
         *
         *     **Required role:** admin.
         *
         *     **Errors:** 400 (Invalid request; `field` names the offending field); 401 (No API key, or an unknown one); 403 (The key’s role (or tenant scope) does not allow this); 404 (Not found (another tenant’s resource is not found either)); 409 (The resource’s state does not allow this, or it kept changing); 413 (The body is larger than the configured limit); 415 (The body is not JSON); 429 (Rate limited; see Retry-After).
         */
        post: operations["createWorkflow"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workflows/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A workflow’s latest version, or a given one
         * @description From the event store (authoritative). `?version=` reads any version, also of a deleted workflow (runs pinned to it show it); without it a deleted workflow is 404. The ETag (latest version only) is what `If-Match` takes.
         *
         *     **Required role:** viewer.
         *
         *     **Errors:** 400 (Invalid request; `field` names the offending field); 401 (No API key, or an unknown one); 404 (Not found (another tenant’s resource is not found either)); 414 (A path parameter is longer than the router accepts (512 characters)); 429 (Rate limited; see Retry-After).
         */
        get: operations["getWorkflow"];
        /**
         * Save a new version of a workflow
         * @description Appends a version; runs already started stay pinned to theirs. `If-Match: "<version>"` makes the save conditional (412 when the workflow is at another version). A deleted or unknown workflow is 404.
         *
         *     **Required role:** admin.
         *
         *     **Errors:** 400 (Invalid request; `field` names the offending field); 401 (No API key, or an unknown one); 403 (The key’s role (or tenant scope) does not allow this); 404 (Not found (another tenant’s resource is not found either)); 409 (The resource’s state does not allow this, or it kept changing); 412 (If-Match does not hold: the document is at another revision); 413 (The body is larger than the configured limit); 414 (A path parameter is longer than the router accepts (512 characters)); 415 (The body is not JSON); 429 (Rate limited; see Retry-After).
         */
        put: operations["updateWorkflow"];
        post?: never;
        /**
         * Delete a workflow (its versions and history are kept)
         * @description No new run can start; runs already started go on. `If-Match: "<version>"` makes it conditional (412). Deleting a deleted workflow changes nothing (204 again).
         *
         *     **Required role:** admin.
         *
         *     **Errors:** 400 (Invalid request; `field` names the offending field); 401 (No API key, or an unknown one); 403 (The key’s role (or tenant scope) does not allow this); 404 (Not found (another tenant’s resource is not found either)); 409 (The resource’s state does not allow this, or it kept changing); 412 (If-Match does not hold: the document is at another revision); 413 (The body is larger than the configured limit); 414 (A path parameter is longer than the router accepts (512 characters)); 415 (The body is not JSON); 429 (Rate limited; see Retry-After).
         */
        delete: operations["deleteWorkflow"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workflows/{id}/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a run of a workflow’s latest version
         * @description The run is pinned to the version it starts with. Its input is checked against the workflow’s `input_schema` (400 naming the field, e.g. `input.user.email`). With an idempotency key (`Idempotency-Key` header or `idempotency_key`), the same key and body answer the original run with 200; the same key with another body is 409. A W3C `traceparent` header gives the run’s trace id.
         *
         *     **Required role:** operator.
         *
         *     **Errors:** 400 (Invalid request; `field` names the offending field); 401 (No API key, or an unknown one); 403 (The key’s role (or tenant scope) does not allow this); 404 (Not found (another tenant’s resource is not found either)); 409 (The resource’s state does not allow this, or it kept changing); 413 (The body is larger than the configured limit); 414 (A path parameter is longer than the router accepts (512 characters)); 415 (The body is not JSON); 429 (Rate limited; see Retry-After).
         */
        post: operations["startWorkflowRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workflow-runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List workflow runs, newest first
         * @description From the `runs` read model: filter by `status`, and/or one of `workflow_id`, `team_id`, and a time range on creation; any other combination is 400 naming the supported ones. `next_cursor` is null on the last page. Pass a command’s `position` as `min_position` to read it.
         *
         *     **Required role:** viewer.
         *
         *     **Errors:** 400 (Invalid request; `field` names the offending field); 401 (No API key, or an unknown one); 404 (Not found (another tenant’s resource is not found either)); 429 (Rate limited; see Retry-After); 503 (Not ready, or the read model is behind; see Retry-After).
         */
        get: operations["listWorkflowRuns"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workflow-runs/{run_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One run, as the event store knows it
         * @description Authoritative: folded from the run’s events, never from a read model. Each step with its status, wait (an approval’s request), latest job ids, output and error.
         *
         *     **Required role:** viewer.
         *
         *     **Errors:** 400 (Invalid request; `field` names the offending field); 401 (No API key, or an unknown one); 404 (Not found (another tenant’s resource is not found either)); 414 (A path parameter is longer than the router accepts (512 characters)); 429 (Rate limited; see Retry-After).
         */
        get: operations["getWorkflowRun"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workflow-runs/{run_id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every event of one run, oldest first
         * @description The run’s whole history from the event store — who started, approved or cancelled it and why is in `actor` and `data`. Pages with `cursor` (`next_cursor` is null on the last page).
         *
         *     **Required role:** viewer.
         *
         *     **Errors:** 400 (Invalid request; `field` names the offending field); 401 (No API key, or an unknown one); 404 (Not found (another tenant’s resource is not found either)); 414 (A path parameter is longer than the router accepts (512 characters)); 429 (Rate limited; see Retry-After).
         */
        get: operations["listWorkflowRunEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workflow-runs/{run_id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a run
         * @description The run, its pending steps and its running step jobs are cancelled (their workers told to stop); step jobs decided but not yet created are pre-empted. A run that has ended answers 200 with its state, unchanged (`changed: false`).
         *
         *     **Required role:** operator.
         *
         *     **Errors:** 400 (Invalid request; `field` names the offending field); 401 (No API key, or an unknown one); 403 (The key’s role (or tenant scope) does not allow this); 404 (Not found (another tenant’s resource is not found either)); 409 (The resource’s state does not allow this, or it kept changing); 413 (The body is larger than the configured limit); 414 (A path parameter is longer than the router accepts (512 characters)); 415 (The body is not JSON); 429 (Rate limited; see Retry-After).
         */
        post: operations["cancelWorkflowRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workflow-runs/{run_id}/steps/{step_id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Answer an approval step: approve it, or reject it
         * @description `{approved: true}` settles the step SUCCEEDED and the run goes on; `{approved: false}` fails the step. Who answered and why is in the run’s events. A step not waiting for approval is 409 (`step_not_waiting`), as is an expired request (`approval_expired`).
         *
         *     **Required role:** operator.
         *
         *     **Errors:** 400 (Invalid request; `field` names the offending field); 401 (No API key, or an unknown one); 403 (The key’s role (or tenant scope) does not allow this); 404 (Not found (another tenant’s resource is not found either)); 409 (The resource’s state does not allow this, or it kept changing); 413 (The body is larger than the configured limit); 414 (A path parameter is longer than the router accepts (512 characters)); 415 (The body is not JSON); 429 (Rate limited; see Retry-After).
         */
        post: operations["approveWorkflowRunStep"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workflow-runs/{run_id}/rerun": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Run an ended run again, as a new run
         * @description The new run has the ended run’s version, input and timeouts, and records `rerun_of`. With `from_step`, the steps it depends on keep their outputs and the rest runs again. A run not yet ended is 409 (`run_not_finished`). With an `Idempotency-Key`, a repeated request answers the same new run (200).
         *
         *     **Required role:** operator.
         *
         *     **Errors:** 400 (Invalid request; `field` names the offending field); 401 (No API key, or an unknown one); 403 (The key’s role (or tenant scope) does not allow this); 404 (Not found (another tenant’s resource is not found either)); 409 (The resource’s state does not allow this, or it kept changing); 413 (The body is larger than the configured limit); 414 (A path parameter is longer than the router accepts (512 characters)); 415 (The body is not JSON); 429 (Rate limited; see Retry-After).
         */
        post: operations["rerunWorkflowRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: never;
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process answers */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ok";
                    };
                };
            };
        };
    };
    ready: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Whether the event store and the read models answer */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        status: "ready" | "not_ready";
                        /** @description Per dependency: `ok` or what failed */
                        checks: {
                            [key: string]: "ok" | string;
                        };
                    };
                };
            };
            /** @description Whether the event store and the read models answer */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        status: "ready" | "not_ready";
                        /** @description Per dependency: `ok` or what failed */
                        checks: {
                            [key: string]: "ok" | string;
                        };
                    };
                };
            };
        };
    };
    metrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text format */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The key’s role (or tenant scope) does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    getStatus: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description This process and the installation’s read models */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        version: string;
                        mode: "embedded" | "distributed";
                        /** @description Where events and read models live */
                        backend: string;
                        started_at: string;
                        uptime_seconds: number;
                        /** @description Per dependency: `ok` or what failed */
                        checks: {
                            [key: string]: "ok" | string;
                        };
                        projections: {
                            projection: string;
                            version: number | null;
                            streams: {
                                stream: string;
                                /** @description The last position the read model applied */
                                position: number;
                                /** @description The stream’s last position */
                                head: number;
                                /** @description head − position */
                                lag: number;
                            }[];
                            rebuild: {
                                state: "running" | "succeeded" | "failed";
                                started_at: string;
                                finished_at: string | null;
                                stream: string | null;
                                position: number | null;
                                head: number | null;
                                events: number;
                                events_per_second: number | null;
                                eta_seconds: number | null;
                                /** @description The version built (once finished) */
                                version: number | null;
                                error: string | null;
                            } | null;
                        }[];
                        /** @description Open /api/v1/events/stream connections on this process */
                        event_streams_open: number;
                        /** @description Null where this process runs no job runtime */
                        safety: {
                            /** @description The remote safety kernel’s circuit breaker in this process (closed when no remote kernel is used) */
                            breaker: "closed" | "open" | "half_open";
                        } | null;
                        /** @description Null where this process runs no job runtime */
                        workers: {
                            /** @description Workers with a heartbeat younger than the registry TTL */
                            live: number;
                        } | null;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    getOpenApi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI 3.1 document */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    getEffectiveConfig: {
        parameters: {
            query: {
                org_id: string;
                team_id?: string;
                workflow_id?: string;
                step_id?: string;
                /** @description Wait (bounded, default 2 s) until the read model has applied this position (a `position` from a command answer); else 503 with Retry-After. Also accepted as the `X-Coretex-Min-Position` header. */
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The merged config */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The whole document: a JSON object. Known top-level keys (routing, timeouts, retry, safety, limits, dispatch, idempotency_ttl_ms) are validated; other keys are passed to jobs as they are. */
                        data: {
                            [key: string]: unknown;
                        };
                        /** @description Each level’s revision: `system:3|org:1|team:0|workflow:2|step:0` */
                        version: string;
                        /** @description SHA-256 (hex) of the canonical JSON of `data` */
                        hash: string;
                    };
                };
            };
            /** @description Invalid request; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not found (another tenant’s resource is not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not ready, or the read model is behind; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    getConfigDocument: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Merge order: system → org → team → workflow → step */
                scope: "system" | "org" | "team" | "workflow" | "step";
                /** @description system: `default`; org: `<org>`; team: `<org>:<team>`; workflow: `<org>:<workflow_id>`; step: `<org>:<workflow_id>:<step_id>` */
                scope_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The document, as the event store has it now */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Merge order: system → org → team → workflow → step */
                        scope: "system" | "org" | "team" | "workflow" | "step";
                        scope_id: string;
                        org_id: string | null;
                        /** @description Also the ETag: `"<revision>"` */
                        revision: number;
                        /** @description The whole document: a JSON object. Known top-level keys (routing, timeouts, retry, safety, limits, dispatch, idempotency_ttl_ms) are validated; other keys are passed to jobs as they are. */
                        data: {
                            [key: string]: unknown;
                        };
                        /** @description ISO 8601 */
                        updated_at: string;
                        /** @description The actor of the last change, `api:<key id>` */
                        updated_by: string;
                        /**
                         * @description A position token `<stream>:<sequence>`, e.g. `config:42`
                         * @example config:42
                         */
                        position: string;
                    };
                };
            };
            /** @description Invalid request; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not found (another tenant’s resource is not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description A path parameter is longer than the router accepts (512 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    putConfigDocument: {
        parameters: {
            query?: never;
            header?: {
                /** @description `"<revision>"`: write only if the document is at this revision (else 412); `*`: only if it exists */
                "if-match"?: string;
                /** @description `*`: write only if the document does not exist (else 412) */
                "if-none-match"?: string;
            };
            path: {
                /** @description Merge order: system → org → team → workflow → step */
                scope: "system" | "org" | "team" | "workflow" | "step";
                /** @description system: `default`; org: `<org>`; team: `<org>:<team>`; workflow: `<org>:<workflow_id>`; step: `<org>:<workflow_id>:<step_id>` */
                scope_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The whole document: a JSON object. Known top-level keys (routing, timeouts, retry, safety, limits, dispatch, idempotency_ttl_ms) are validated; other keys are passed to jobs as they are. */
                    data: {
                        [key: string]: unknown;
                    };
                };
            };
        };
        responses: {
            /** @description The document after the write, with the position of its event */
            200: {
                headers: {
                    /** @description The position token of the command (as `position` in the body) */
                    "x-coretex-position"?: string;
                    etag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Merge order: system → org → team → workflow → step */
                        scope: "system" | "org" | "team" | "workflow" | "step";
                        scope_id: string;
                        org_id: string | null;
                        revision: number;
                        /** @description The whole document: a JSON object. Known top-level keys (routing, timeouts, retry, safety, limits, dispatch, idempotency_ttl_ms) are validated; other keys are passed to jobs as they are. */
                        data: {
                            [key: string]: unknown;
                        };
                        /** @description False when the data equalled the current document: nothing was written */
                        changed: boolean;
                        /**
                         * @description A position token `<stream>:<sequence>`, e.g. `config:42`
                         * @example config:42
                         */
                        position: string;
                    };
                };
            };
            /** @description Invalid request; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The key’s role (or tenant scope) does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not found (another tenant’s resource is not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource’s state does not allow this, or it kept changing */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description If-Match does not hold: the document is at another revision */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is larger than the configured limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description A path parameter is longer than the router accepts (512 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    deleteConfigDocument: {
        parameters: {
            query?: never;
            header?: {
                /** @description `"<revision>"`: write only if the document is at this revision (else 412); `*`: only if it exists */
                "if-match"?: string;
                /** @description `*`: write only if the document does not exist (else 412) */
                "if-none-match"?: string;
            };
            path: {
                /** @description Merge order: system → org → team → workflow → step */
                scope: "system" | "org" | "team" | "workflow" | "step";
                /** @description system: `default`; org: `<org>`; team: `<org>:<team>`; workflow: `<org>:<workflow_id>`; step: `<org>:<workflow_id>:<step_id>` */
                scope_id: string;
            };
            cookie?: never;
        };
        /** @description No options: send no body, or {} */
        requestBody?: {
            content: {
                "application/json": null | Record<string, never>;
            };
        };
        responses: {
            /** @description No content */
            204: {
                headers: {
                    /** @description The position token of the command (as `position` in the body) */
                    "x-coretex-position"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The key’s role (or tenant scope) does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not found (another tenant’s resource is not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource’s state does not allow this, or it kept changing */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description If-Match does not hold: the document is at another revision */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is larger than the configured limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description A path parameter is longer than the router accepts (512 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    listConfigDocumentEvents: {
        parameters: {
            query?: {
                limit?: number;
                /** @description Opaque: `next_cursor` of the previous page */
                cursor?: string;
            };
            header?: never;
            path: {
                /** @description Merge order: system → org → team → workflow → step */
                scope: "system" | "org" | "team" | "workflow" | "step";
                /** @description system: `default`; org: `<org>`; team: `<org>:<team>`; workflow: `<org>:<workflow_id>`; step: `<org>:<workflow_id>:<step_id>` */
                scope_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Changes, oldest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @description `ConfigPut` or `ConfigDeleted` */
                            type: string;
                            time: string;
                            actor: string;
                            trace_id: string | null;
                            /**
                             * @description A position token `<stream>:<sequence>`, e.g. `config:42`
                             * @example config:42
                             */
                            position: string;
                            revision: number;
                            /** @description The document after the change; null for a delete */
                            data: {
                                [key: string]: unknown;
                            } | null;
                        }[];
                        /** @description null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Invalid request; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not found (another tenant’s resource is not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description A path parameter is longer than the router accepts (512 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    rebuildProjection: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        /** @description No options: send no body, or {} */
        requestBody?: {
            content: {
                "application/json": null | Record<string, never>;
            };
        };
        responses: {
            /** @description The rebuild runs in the background */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        projection: string;
                        /** @enum {boolean} */
                        started: true;
                        /** @description Progress is in /api/v1/status, under the projection */
                        status_url: string;
                    };
                };
            };
            /** @description Invalid request; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The key’s role (or tenant scope) does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not found (another tenant’s resource is not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource’s state does not allow this, or it kept changing */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is larger than the configured limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description A path parameter is longer than the router accepts (512 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    streamEvents: {
        parameters: {
            query?: {
                /** @description Streams to follow, comma-separated (default: all) */
                stream?: string;
                /** @description Event types, comma-separated (e.g. `JobSubmitted,JobSucceeded`) */
                type?: string;
                /** @description Only this job’s events (and its DLQ entry’s) */
                job_id?: string;
                /** @description Only this run’s events and its step jobs’ */
                run_id?: string;
                /** @description As the Last-Event-ID header, for clients that cannot set it */
                last_event_id?: string;
            };
            header?: {
                /** @description Resume: a vector of per-stream positions, `job:120,run:45` (the `id` of the last message received). Those streams are replayed from the next position. */
                "last-event-id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An event stream */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description Invalid request; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    listJobs: {
        parameters: {
            query?: {
                /** @description Job state: PENDING, APPROVAL_REQUIRED, SCHEDULED, DISPATCHED, RUNNING, SUCCEEDED, FAILED, CANCELLED, TIMEOUT, DENIED */
                state?: "PENDING" | "APPROVAL_REQUIRED" | "SCHEDULED" | "DISPATCHED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED" | "TIMEOUT" | "DENIED";
                topic?: string;
                team?: string;
                trace_id?: string;
                workflow_id?: string;
                run_id?: string;
                /** @description For keys bound to `*`: one tenant’s jobs only */
                tenant?: string;
                sort?: "created" | "updated";
                /** @description Earliest created_at (updated_at with sort=updated), inclusive: epoch milliseconds or an ISO 8601 date-time */
                from?: string;
                /** @description Latest created_at (updated_at with sort=updated), inclusive: epoch milliseconds or an ISO 8601 date-time */
                to?: string;
                limit?: number;
                /** @description Opaque: `next_cursor` of the previous page */
                cursor?: string;
                /** @description Wait (bounded, default 2 s) until the read model has applied this position (a `position` from a command answer); else 503 with Retry-After. Also accepted as the `X-Coretex-Min-Position` header. */
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of jobs */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            job_id: string;
                            tenant: string;
                            topic: string;
                            /** @description Job state: PENDING, APPROVAL_REQUIRED, SCHEDULED, DISPATCHED, RUNNING, SUCCEEDED, FAILED, CANCELLED, TIMEOUT, DENIED */
                            state: "PENDING" | "APPROVAL_REQUIRED" | "SCHEDULED" | "DISPATCHED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED" | "TIMEOUT" | "DENIED";
                            priority: string;
                            team: string | null;
                            trace_id: string;
                            workflow_id: string | null;
                            run_id: string | null;
                            step_id: string | null;
                            attempt: number;
                            max_attempts: number | null;
                            worker_id: string | null;
                            /** @description Epoch ms */
                            created_at: number;
                            /** @description Epoch ms */
                            updated_at: number;
                            due_at: number | null;
                            error: {
                                code: string;
                                message: string;
                            } | null;
                            labels: {
                                [key: string]: string;
                            };
                            queue: string | null;
                            retry_of: string | null;
                        }[];
                        /** @description null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Invalid request; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not found (another tenant’s resource is not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not ready, or the read model is behind; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    submitJob: {
        parameters: {
            query?: {
                /** @description The tenant to act on. Required for keys bound to `*` on single-resource operations; a tenant key may only name its own tenant (another is 404). */
                tenant?: string;
            };
            header?: {
                /** @description Claimed per tenant for 24 h: the same key and body answer the original job (200), another body is 409 */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        /** @description A job submission (SPEC 1.1); unknown fields are 400 */
        requestBody: {
            content: {
                "application/json": {
                    /** @description Optional; server-generated (a ULID) when absent. An id already used in the tenant is 409. */
                    job_id?: string;
                    /** @description Default `job.default` */
                    topic?: string;
                    /** @description Any JSON, at most 262144 bytes serialised (larger is 413 naming `payload`) */
                    payload?: unknown;
                    /** @description Release order class (default `batch`) */
                    priority?: "critical" | "interactive" | "batch";
                    /** @description The team within the tenant */
                    team?: string;
                    /** @description Who the job acts for */
                    principal?: string;
                    /** @description String map, at most 50 entries; values at most 512 characters */
                    labels?: {
                        [key: string]: string;
                    };
                    /** @description Capabilities the worker pool must offer */
                    requires?: string[];
                    /** @description The capability the job uses */
                    capability?: string;
                    /** @description Tags the safety policy checks */
                    risk_tags?: string[];
                    /** @description Also accepted as the `Idempotency-Key` header (the two must agree) */
                    idempotency_key?: string;
                    /** @description Default: the trace id of a W3C `traceparent` header, else a fresh one */
                    trace_id?: string;
                    /** @description Not dispatched before this time: RFC 3339 or epoch milliseconds */
                    run_at?: number | string;
                    /** @description Overall budget, from `run_at` if set, else from submission */
                    deadline_ms?: number;
                    /** @description Fields absent here come from config */
                    retry?: {
                        max_attempts?: number;
                        /** @description First retry delay */
                        initial_backoff_ms?: number;
                        /** @description Cap on the retry delay */
                        max_backoff_ms?: number;
                        multiplier?: number;
                        /** @description Randomised fraction */
                        jitter?: number;
                    };
                    /** @description Absent: from config */
                    timeouts?: {
                        dispatch_ms?: number;
                        running_ms?: number;
                    };
                    /** @description Extra environment for the worker. `traceparent` defaults to the request’s W3C `traceparent` header. */
                    env?: {
                        [key: string]: string;
                    };
                };
            };
        };
        responses: {
            /** @description A replay: the job this key and body created */
            200: {
                headers: {
                    /** @description The position token of the command (as `position` in the body) */
                    "x-coretex-position"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        job_id: string;
                        trace_id: string;
                        /** @description Job state: PENDING, APPROVAL_REQUIRED, SCHEDULED, DISPATCHED, RUNNING, SUCCEEDED, FAILED, CANCELLED, TIMEOUT, DENIED */
                        state: "PENDING" | "APPROVAL_REQUIRED" | "SCHEDULED" | "DISPATCHED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED" | "TIMEOUT" | "DENIED";
                        /**
                         * @description A position token `<stream>:<sequence>`, e.g. `config:42`
                         * @example config:42
                         */
                        position: string;
                    };
                };
            };
            /** @description The job was submitted */
            202: {
                headers: {
                    /** @description The position token of the command (as `position` in the body) */
                    "x-coretex-position"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        job_id: string;
                        trace_id: string;
                        /** @description Job state: PENDING, APPROVAL_REQUIRED, SCHEDULED, DISPATCHED, RUNNING, SUCCEEDED, FAILED, CANCELLED, TIMEOUT, DENIED */
                        state: "PENDING" | "APPROVAL_REQUIRED" | "SCHEDULED" | "DISPATCHED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED" | "TIMEOUT" | "DENIED";
                        /**
                         * @description A position token `<stream>:<sequence>`, e.g. `config:42`
                         * @example config:42
                         */
                        position: string;
                    };
                };
            };
            /** @description Invalid request; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The key’s role (or tenant scope) does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not found (another tenant’s resource is not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource’s state does not allow this, or it kept changing */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is larger than the configured limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    getJob: {
        parameters: {
            query?: {
                /** @description The tenant to act on. Required for keys bound to `*` on single-resource operations; a tenant key may only name its own tenant (another is 404). */
                tenant?: string;
                /** @description Long-poll: answer once the job is terminal or this long has passed (`30s`, `500ms`, `1m`; a bare number is seconds; at most 60 s, longer waits are cut to 60 s) */
                wait?: string;
            };
            header?: never;
            path: {
                /** @description A job id: a client id (`^[A-Za-z0-9_-]{1,64}$`), a ULID, or an id Coretex derived (contains `.`) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job as the event store knows it now */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        job_id: string;
                        tenant: string;
                        topic: string;
                        /** @description Job state: PENDING, APPROVAL_REQUIRED, SCHEDULED, DISPATCHED, RUNNING, SUCCEEDED, FAILED, CANCELLED, TIMEOUT, DENIED */
                        state: "PENDING" | "APPROVAL_REQUIRED" | "SCHEDULED" | "DISPATCHED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED" | "TIMEOUT" | "DENIED";
                        priority: string;
                        team: string | null;
                        principal: string | null;
                        labels: {
                            [key: string]: string;
                        };
                        requires: string[];
                        risk_tags: string[];
                        /** @description As submitted */
                        payload: unknown;
                        /** @description The attempt in flight, else the attempts used so far */
                        attempt: number;
                        max_attempts: number | null;
                        worker_id: string | null;
                        /** @description ISO 8601 (UTC) */
                        created_at: string;
                        /** @description ISO 8601: the time of the job’s last event */
                        updated_at: string;
                        /** @description The next time Coretex acts on it; null once terminal */
                        due_at: string | null;
                        run_at: string | null;
                        deadline_at: string | null;
                        /** @description The decision it runs under */
                        safety: {
                            /** @description ALLOW, ALLOW_WITH_CONSTRAINTS, DENY, REQUIRE_APPROVAL or THROTTLE */
                            decision: string;
                            reason: string | null;
                            source: "builtin" | "remote";
                            policy_version: string;
                            constraints: {
                                [key: string]: number;
                            } | null;
                        } | null;
                        approval_request: {
                            /** @description Send it back to approve or reject */
                            request_hash: string;
                            /** @description The safety policy the request is bound to */
                            policy_version: string;
                            /** @description ISO 8601 (UTC) */
                            expires_at: string;
                            reason: string | null;
                        } | null;
                        /** @description Inline result (SUCCEEDED), else null */
                        result: unknown;
                        /** @description Where a large result is kept */
                        result_ptr: string | null;
                        execution_ms: number | null;
                        error: {
                            code: string;
                            message: string;
                        } | null;
                        cancellation: {
                            by: string;
                            reason: string | null;
                        } | null;
                        trace_id: string;
                        idempotency_key: string | null;
                        workflow_id: string | null;
                        run_id: string | null;
                        step_id: string | null;
                        retry_of: string | null;
                        /**
                         * @description A position token `<stream>:<sequence>`, e.g. `config:42`
                         * @example config:42
                         */
                        position: string;
                    };
                };
            };
            /** @description Invalid request; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not found (another tenant’s resource is not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description A path parameter is longer than the router accepts (512 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    listJobEvents: {
        parameters: {
            query?: {
                /** @description The tenant to act on. Required for keys bound to `*` on single-resource operations; a tenant key may only name its own tenant (another is 404). */
                tenant?: string;
                limit?: number;
                /** @description Opaque: `next_cursor` of the previous page */
                cursor?: string;
            };
            header?: never;
            path: {
                /** @description A job id: a client id (`^[A-Za-z0-9_-]{1,64}$`), a ULID, or an id Coretex derived (contains `.`) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Events, oldest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            /** @description `JobSubmitted`, `JobScheduled`, ... */
                            type: string;
                            /** @description ISO 8601 (UTC) */
                            time: string;
                            /**
                             * @description A position token `<stream>:<sequence>`, e.g. `config:42`
                             * @example config:42
                             */
                            position: string;
                            /** @description Who caused it: `api:<key id>`, `scheduler`, `worker:<id>`, ... */
                            actor: string;
                            trace_id: string | null;
                            causation_id: string | null;
                            correlation_id: string | null;
                            data: unknown;
                        }[];
                        /** @description null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Invalid request; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not found (another tenant’s resource is not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description A path parameter is longer than the router accepts (512 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    cancelJobs: {
        parameters: {
            query?: {
                /** @description The tenant to act on. Required for keys bound to `*` on single-resource operations; a tenant key may only name its own tenant (another is 404). */
                tenant?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description As the job list takes it: `state`, and/or one of topic, team, trace_id, workflow_id, run_id. At least one field (cancelling a whole tenant is not one request away). */
                    filter: {
                        /** @description Job state: PENDING, APPROVAL_REQUIRED, SCHEDULED, DISPATCHED, RUNNING, SUCCEEDED, FAILED, CANCELLED, TIMEOUT, DENIED */
                        state?: "PENDING" | "APPROVAL_REQUIRED" | "SCHEDULED" | "DISPATCHED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED" | "TIMEOUT" | "DENIED";
                        /** @description Jobs of this topic */
                        topic?: string;
                        /** @description Jobs of this team */
                        team?: string;
                        /** @description Jobs of this trace */
                        trace_id?: string;
                        /** @description Step jobs of this workflow */
                        workflow_id?: string;
                        /** @description Step jobs of this run */
                        run_id?: string;
                    };
                    /** @description Recorded in the job’s events */
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description The bulk operation is recorded and runs in the background */
            202: {
                headers: {
                    /** @description The position token of the command (as `position` in the body) */
                    "x-coretex-position"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        operation_id: string;
                        /**
                         * @description A position token `<stream>:<sequence>`, e.g. `config:42`
                         * @example config:42
                         */
                        position: string;
                        /** @description `GET` it for the operation’s progress */
                        status_url: string;
                    };
                };
            };
            /** @description Invalid request; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The key’s role (or tenant scope) does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not found (another tenant’s resource is not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource’s state does not allow this, or it kept changing */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is larger than the configured limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    cancelJob: {
        parameters: {
            query?: {
                /** @description The tenant to act on. Required for keys bound to `*` on single-resource operations; a tenant key may only name its own tenant (another is 404). */
                tenant?: string;
            };
            header?: never;
            path: {
                /** @description A job id: a client id (`^[A-Za-z0-9_-]{1,64}$`), a ULID, or an id Coretex derived (contains `.`) */
                id: string;
            };
            cookie?: never;
        };
        /** @description Optional: `{reason}`, or no body */
        requestBody?: {
            content: {
                "application/json": null | {
                    /** @description Recorded in the job’s events */
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description The job after the command (unchanged when it changed nothing) */
            200: {
                headers: {
                    /** @description The position token of the command (as `position` in the body) */
                    "x-coretex-position"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        job_id: string;
                        /** @description Job state: PENDING, APPROVAL_REQUIRED, SCHEDULED, DISPATCHED, RUNNING, SUCCEEDED, FAILED, CANCELLED, TIMEOUT, DENIED */
                        state: "PENDING" | "APPROVAL_REQUIRED" | "SCHEDULED" | "DISPATCHED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED" | "TIMEOUT" | "DENIED";
                        /**
                         * @description A position token `<stream>:<sequence>`, e.g. `config:42`
                         * @example config:42
                         */
                        position: string;
                    };
                };
            };
            /** @description Invalid request; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The key’s role (or tenant scope) does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not found (another tenant’s resource is not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource’s state does not allow this, or it kept changing */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is larger than the configured limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description A path parameter is longer than the router accepts (512 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    getOperation: {
        parameters: {
            query?: {
                /** @description The tenant to act on. Required for keys bound to `*` on single-resource operations; a tenant key may only name its own tenant (another is 404). */
                tenant?: string;
            };
            header?: never;
            path: {
                /** @description The `operation_id` */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A bulk operation and its progress, as the event store has it now */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        operation_id: string;
                        kind: "bulk_cancel" | "bulk_dlq_retry";
                        status: "RUNNING" | "SUCCEEDED" | "FAILED";
                        /** @description The filter, as requested */
                        filter: {
                            [key: string]: unknown;
                        };
                        reason: string | null;
                        requested_by: string;
                        /** @description Items looked at so far */
                        processed: number;
                        /** @description Items the operation changed (cancelled, or retried as a new job) */
                        changed: number;
                        /** @description Items that failed (logged; the operation goes on) */
                        failed: number;
                        /** @description ISO 8601 (UTC) */
                        requested_at: string;
                        finished_at: string | null;
                        error: string | null;
                        /**
                         * @description A position token `<stream>:<sequence>`, e.g. `config:42`
                         * @example config:42
                         */
                        position: string;
                    };
                };
            };
            /** @description Invalid request; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not found (another tenant’s resource is not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description A path parameter is longer than the router accepts (512 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    listApprovals: {
        parameters: {
            query?: {
                /** @description The tenant to act on. Required for keys bound to `*` on single-resource operations; a tenant key may only name its own tenant (another is 404). */
                tenant?: string;
                limit?: number;
                /** @description Opaque: `next_cursor` of the previous page */
                cursor?: string;
                /** @description Wait (bounded, default 2 s) until the read model has applied this position (a `position` from a command answer); else 503 with Retry-After. Also accepted as the `X-Coretex-Min-Position` header. */
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of jobs waiting for approval */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            job_id: string;
                            tenant: string;
                            topic: string;
                            priority: string;
                            team: string | null;
                            trace_id: string;
                            labels: {
                                [key: string]: string;
                            };
                            /** @description ISO 8601 (UTC) */
                            created_at: string;
                            /** @description Send it back with the answer */
                            request_hash: string;
                            /** @description The safety policy version the request is bound to */
                            policy_version: string;
                            /** @description When the request expires (DENIED) */
                            expires_at: string | null;
                            reason: string | null;
                        }[];
                        /** @description null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Invalid request; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not found (another tenant’s resource is not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not ready, or the read model is behind; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    approveJob: {
        parameters: {
            query?: {
                /** @description The tenant to act on. Required for keys bound to `*` on single-resource operations; a tenant key may only name its own tenant (another is 404). */
                tenant?: string;
            };
            header?: never;
            path: {
                /** @description A job id: a client id (`^[A-Za-z0-9_-]{1,64}$`), a ULID, or an id Coretex derived (contains `.`) */
                job_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The `request_hash` the approver was shown; another is 409 and writes nothing */
                    request_hash: string;
                    /** @description Recorded in the job’s events */
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description The job after the command (unchanged when it changed nothing) */
            200: {
                headers: {
                    /** @description The position token of the command (as `position` in the body) */
                    "x-coretex-position"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        job_id: string;
                        /** @description Job state: PENDING, APPROVAL_REQUIRED, SCHEDULED, DISPATCHED, RUNNING, SUCCEEDED, FAILED, CANCELLED, TIMEOUT, DENIED */
                        state: "PENDING" | "APPROVAL_REQUIRED" | "SCHEDULED" | "DISPATCHED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED" | "TIMEOUT" | "DENIED";
                        /**
                         * @description A position token `<stream>:<sequence>`, e.g. `config:42`
                         * @example config:42
                         */
                        position: string;
                    };
                };
            };
            /** @description Invalid request; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The key’s role (or tenant scope) does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not found (another tenant’s resource is not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource’s state does not allow this, or it kept changing */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is larger than the configured limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description A path parameter is longer than the router accepts (512 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    rejectJob: {
        parameters: {
            query?: {
                /** @description The tenant to act on. Required for keys bound to `*` on single-resource operations; a tenant key may only name its own tenant (another is 404). */
                tenant?: string;
            };
            header?: never;
            path: {
                /** @description A job id: a client id (`^[A-Za-z0-9_-]{1,64}$`), a ULID, or an id Coretex derived (contains `.`) */
                job_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The `request_hash` the approver was shown; another is 409 and writes nothing */
                    request_hash: string;
                    /** @description Recorded in the job’s events */
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description The job after the command (unchanged when it changed nothing) */
            200: {
                headers: {
                    /** @description The position token of the command (as `position` in the body) */
                    "x-coretex-position"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        job_id: string;
                        /** @description Job state: PENDING, APPROVAL_REQUIRED, SCHEDULED, DISPATCHED, RUNNING, SUCCEEDED, FAILED, CANCELLED, TIMEOUT, DENIED */
                        state: "PENDING" | "APPROVAL_REQUIRED" | "SCHEDULED" | "DISPATCHED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED" | "TIMEOUT" | "DENIED";
                        /**
                         * @description A position token `<stream>:<sequence>`, e.g. `config:42`
                         * @example config:42
                         */
                        position: string;
                    };
                };
            };
            /** @description Invalid request; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The key’s role (or tenant scope) does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not found (another tenant’s resource is not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource’s state does not allow this, or it kept changing */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is larger than the configured limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description A path parameter is longer than the router accepts (512 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    listDlq: {
        parameters: {
            query?: {
                topic?: string;
                reason_code?: string;
                /** @description The tenant to act on. Required for keys bound to `*` on single-resource operations; a tenant key may only name its own tenant (another is 404). */
                tenant?: string;
                /** @description Earliest time the entry was added, inclusive: epoch milliseconds or an ISO 8601 date-time */
                from?: string;
                /** @description Latest time the entry was added, inclusive: epoch milliseconds or an ISO 8601 date-time */
                to?: string;
                limit?: number;
                /** @description Opaque: `next_cursor` of the previous page */
                cursor?: string;
                /** @description Wait (bounded, default 2 s) until the read model has applied this position (a `position` from a command answer); else 503 with Retry-After. Also accepted as the `X-Coretex-Min-Position` header. */
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of DLQ entries */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            job_id: string;
                            tenant: string;
                            topic: string;
                            /** @description FAILED, TIMEOUT or DENIED */
                            final_state: string;
                            reason_code: string;
                            reason: string;
                            attempts: number;
                            worker_id: string | null;
                            /** @description ISO 8601 (UTC) */
                            created_at: string;
                            /** @description Retries recorded (a repeated retry returns the first one’s job) */
                            retries: number;
                            /** @description The job the retry created */
                            retried_as: string | null;
                        }[];
                        /** @description null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Invalid request; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not found (another tenant’s resource is not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not ready, or the read model is behind; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    getDlqEntry: {
        parameters: {
            query?: {
                /** @description The tenant to act on. Required for keys bound to `*` on single-resource operations; a tenant key may only name its own tenant (another is 404). */
                tenant?: string;
            };
            header?: never;
            path: {
                /** @description A job id: a client id (`^[A-Za-z0-9_-]{1,64}$`), a ULID, or an id Coretex derived (contains `.`) */
                job_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A DLQ entry, as the event store has it now */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        job_id: string;
                        tenant: string;
                        topic: string;
                        /** @description FAILED, TIMEOUT or DENIED */
                        final_state: string;
                        reason_code: string;
                        reason: string;
                        attempts: number;
                        worker_id: string | null;
                        /** @description ISO 8601 (UTC) */
                        created_at: string;
                        /** @description Retries recorded (a repeated retry returns the first one’s job) */
                        retries: number;
                        /** @description The job the retry created */
                        retried_as: string | null;
                        /** @description The full original request (payload, labels, priority, retry, timeouts, ...) */
                        request: {
                            [key: string]: unknown;
                        };
                        /**
                         * @description A position token `<stream>:<sequence>`, e.g. `config:42`
                         * @example config:42
                         */
                        position: string;
                    };
                };
            };
            /** @description Invalid request; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not found (another tenant’s resource is not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description A path parameter is longer than the router accepts (512 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    deleteDlqEntry: {
        parameters: {
            query?: {
                /** @description The tenant to act on. Required for keys bound to `*` on single-resource operations; a tenant key may only name its own tenant (another is 404). */
                tenant?: string;
            };
            header?: never;
            path: {
                /** @description A job id: a client id (`^[A-Za-z0-9_-]{1,64}$`), a ULID, or an id Coretex derived (contains `.`) */
                job_id: string;
            };
            cookie?: never;
        };
        /** @description No options: send no body, or {} */
        requestBody?: {
            content: {
                "application/json": null | Record<string, never>;
            };
        };
        responses: {
            /** @description No content */
            204: {
                headers: {
                    /** @description The position token of the command (as `position` in the body) */
                    "x-coretex-position"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The key’s role (or tenant scope) does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not found (another tenant’s resource is not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource’s state does not allow this, or it kept changing */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is larger than the configured limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description A path parameter is longer than the router accepts (512 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    retryDlqEntry: {
        parameters: {
            query?: {
                /** @description The tenant to act on. Required for keys bound to `*` on single-resource operations; a tenant key may only name its own tenant (another is 404). */
                tenant?: string;
            };
            header?: never;
            path: {
                /** @description A job id: a client id (`^[A-Za-z0-9_-]{1,64}$`), a ULID, or an id Coretex derived (contains `.`) */
                job_id: string;
            };
            cookie?: never;
        };
        /** @description No options: send no body, or {} */
        requestBody?: {
            content: {
                "application/json": null | Record<string, never>;
            };
        };
        responses: {
            /** @description Retried before: the same job */
            200: {
                headers: {
                    /** @description The position token of the command (as `position` in the body) */
                    "x-coretex-position"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The new job: `<job_id>.r<n>` */
                        job_id: string;
                        /** @description The DLQ entry (the original job id) */
                        retry_of: string;
                        /**
                         * @description A position token `<stream>:<sequence>`, e.g. `config:42`
                         * @example config:42
                         */
                        position: string;
                    };
                };
            };
            /** @description The new job */
            201: {
                headers: {
                    /** @description The position token of the command (as `position` in the body) */
                    "x-coretex-position"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The new job: `<job_id>.r<n>` */
                        job_id: string;
                        /** @description The DLQ entry (the original job id) */
                        retry_of: string;
                        /**
                         * @description A position token `<stream>:<sequence>`, e.g. `config:42`
                         * @example config:42
                         */
                        position: string;
                    };
                };
            };
            /** @description Invalid request; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The key’s role (or tenant scope) does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not found (another tenant’s resource is not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource’s state does not allow this, or it kept changing */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is larger than the configured limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description A path parameter is longer than the router accepts (512 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    retryDlqEntries: {
        parameters: {
            query?: {
                /** @description The tenant to act on. Required for keys bound to `*` on single-resource operations; a tenant key may only name its own tenant (another is 404). */
                tenant?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description topic or reason_code (one of them), or {} for every entry of the tenant */
                    filter: {
                        topic?: string;
                        reason_code?: string;
                    };
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description The bulk operation is recorded and runs in the background */
            202: {
                headers: {
                    /** @description The position token of the command (as `position` in the body) */
                    "x-coretex-position"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        operation_id: string;
                        /**
                         * @description A position token `<stream>:<sequence>`, e.g. `config:42`
                         * @example config:42
                         */
                        position: string;
                        /** @description `GET` it for the operation’s progress */
                        status_url: string;
                    };
                };
            };
            /** @description Invalid request; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The key’s role (or tenant scope) does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not found (another tenant’s resource is not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource’s state does not allow this, or it kept changing */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is larger than the configured limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    listWorkers: {
        parameters: {
            query?: {
                /** @description Only this pool’s workers */
                pool?: string;
                /** @description The tenant to act on. Required for keys bound to `*` on single-resource operations; a tenant key may only name its own tenant (another is 404). */
                tenant?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Live workers, by id */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            worker_id: string;
                            pool: string;
                            /** @description Topic globs it serves; empty: every topic of its pool */
                            topics: string[];
                            capabilities: string[];
                            labels: {
                                [key: string]: string;
                            };
                            region: string | null;
                            version: string | null;
                            /** @description As its last heartbeat said, plus jobs handed to it since */
                            active_jobs: number;
                            max_parallel_jobs: number;
                            cpu_load: number;
                            gpu_utilization: number | null;
                            /** @description What least-loaded dispatch compares (lower is chosen first) */
                            load_score: number;
                            overloaded: boolean;
                            /** @description Listed in `routing.cordoned_workers`: receives no jobs */
                            cordoned: boolean;
                            /** @description ISO 8601 (UTC) */
                            heartbeat_at: string;
                            /** @description ISO 8601: when it leaves the registry without another heartbeat */
                            expires_at: string;
                        }[];
                    };
                };
            };
            /** @description Invalid request; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not found (another tenant’s resource is not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    listParkedInputs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Parked inputs, oldest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            /** @description What was being handled: `job-event`, `report`, `bus-submission`, ... */
                            source: string;
                            /** @description Its position in the stream or capture it came from */
                            position: number;
                            subject: string | null;
                            /** @description The last error */
                            error: string;
                            attempts: number;
                            /** @description ISO 8601 (UTC) */
                            parked_at: string;
                            /** @description The input itself (an event or a message) */
                            input: unknown;
                        }[];
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The key’s role (or tenant scope) does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    replayParkedInput: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The parked input’s `id` (`<source>.<position>`) */
                id: string;
            };
            cookie?: never;
        };
        /** @description No options: send no body, or {} */
        requestBody?: {
            content: {
                "application/json": null | Record<string, never>;
            };
        };
        responses: {
            /** @description The input was handled and unparked. `position` is the head of the stream it concerns after the replay (to read its effects with `min_position`). */
            200: {
                headers: {
                    /** @description The position token of the command (as `position` in the body) */
                    "x-coretex-position"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        source: string;
                        /** @enum {boolean} */
                        replayed: true;
                        /**
                         * @description A position token `<stream>:<sequence>`, e.g. `config:42`
                         * @example config:42
                         */
                        position: string;
                    };
                };
            };
            /** @description Invalid request; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The key’s role (or tenant scope) does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not found (another tenant’s resource is not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource’s state does not allow this, or it kept changing */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is larger than the configured limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description A path parameter is longer than the router accepts (512 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    listWorkflows: {
        parameters: {
            query?: {
                /** @description The tenant to act on. Required for keys bound to `*` on single-resource operations; a tenant key may only name its own tenant (another is 404). */
                tenant?: string;
                /** @description Also list deleted workflows */
                include_deleted?: boolean;
                /** @description Earliest created_at, inclusive (ms or ISO) */
                from?: string;
                /** @description Latest created_at, inclusive (ms or ISO) */
                to?: string;
                limit?: number;
                /** @description Opaque: `next_cursor` of the previous page */
                cursor?: string;
                /** @description Wait (bounded, default 2 s) until the read model has applied this position (a `position` from a command answer); else 503 with Retry-After. Also accepted as the `X-Coretex-Min-Position` header. */
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of workflows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            workflow_id: string;
                            tenant: string;
                            name: string;
                            description: string | null;
                            team_id: string | null;
                            /** @description The latest version (for a deleted workflow, the one its delete ended) */
                            version: number;
                            deleted: boolean;
                            /** @description How many steps the latest version has */
                            steps: number;
                            /** @description ISO 8601 (UTC) */
                            created_at: string;
                            /** @description ISO 8601 (UTC) */
                            updated_at: string;
                            updated_by: string;
                        }[];
                        /** @description null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Invalid request; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not found (another tenant’s resource is not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not ready, or the read model is behind; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    createWorkflow: {
        parameters: {
            query?: {
                /** @description The tenant to act on. Required for keys bound to `*` on single-resource operations; a tenant key may only name its own tenant (another is 404). */
                tenant?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description A workflow definition (SPEC 2.1); unknown fields are 400 */
        requestBody: {
            content: {
                "application/json": {
                    /** @description POST: optional, generated (a ULID) when absent; an id already used is 409. PUT: the id in the path, if given */
                    id?: string;
                    name?: string | null;
                    description?: string | null;
                    org_id?: string | null;
                    team_id?: string | null;
                    /** @description A JSON Schema every run’s input must satisfy (400 naming the field otherwise) */
                    input_schema?: {
                        [key: string]: unknown;
                    } | boolean | null;
                    timeout_ms?: number | null;
                    /** @description Step id (`^[a-z0-9][a-z0-9_-]{0,47}$`) → step; at most 200 */
                    steps: {
                        [key: string]: {
                            /** @description Default `job` (one of job, condition, approval, delay, notify) */
                            type?: "job" | "condition" | "approval" | "delay" | "notify";
                            topic?: string | null;
                            depends_on?: string[] | null;
                            condition?: string | null;
                            for_each?: string | null;
                            max_parallel?: number;
                            /** @description How a `for_each` step’s children settle it: all, any, ignore_failures (default `all`) */
                            join?: "all" | "any" | "ignore_failures";
                            /** @description JSON with `${expr}` templates: the step job’s payload */
                            input?: unknown;
                            output_path?: string | null;
                            retry?: {
                                max_retries?: number;
                                initial_backoff_ms?: number;
                                max_backoff_ms?: number;
                                multiplier?: number;
                            } | null;
                            /** @description Each attempt’s limit (default from config) */
                            timeout_ms?: number;
                            delay_ms?: number;
                            delay_until?: string | null;
                            labels?: {
                                [key: string]: string;
                            } | null;
                            route_labels?: {
                                [key: string]: string;
                            } | null;
                            requires?: string[] | null;
                            meta?: {
                                [key: string]: unknown;
                            } | null;
                        };
                    };
                };
            };
        };
        responses: {
            /** @description The workflow after the command */
            201: {
                headers: {
                    /** @description The position token of the command (as `position` in the body) */
                    "x-coretex-position"?: string;
                    /** @description The version: `"<version>"` (send it as If-Match) */
                    etag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        workflow_id: string;
                        /** @description The version saved (also the ETag) */
                        version: number;
                        changed: boolean;
                        /**
                         * @description A position token `<stream>:<sequence>`, e.g. `config:42`
                         * @example config:42
                         */
                        position: string;
                    };
                };
            };
            /** @description Invalid request; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The key’s role (or tenant scope) does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not found (another tenant’s resource is not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource’s state does not allow this, or it kept changing */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is larger than the configured limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    getWorkflow: {
        parameters: {
            query?: {
                /** @description The tenant to act on. Required for keys bound to `*` on single-resource operations; a tenant key may only name its own tenant (another is 404). */
                tenant?: string;
                /** @description A given version (runs are pinned to one); default the latest */
                version?: number;
            };
            header?: never;
            path: {
                /** @description A workflow id (`^[A-Za-z0-9_-]{1,64}$`), unique per org */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One version of a workflow, from the event store */
            200: {
                headers: {
                    /** @description The version: `"<version>"` (send it as If-Match) */
                    etag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        workflow_id: string;
                        /** @description Also the ETag: `"<version>"` */
                        version: number;
                        /** @description The definition as saved, every default filled in */
                        definition: {
                            id: string;
                            name: string;
                            description: string | null;
                            org_id: string;
                            team_id: string | null;
                            /** @description A JSON Schema, or null */
                            input_schema: unknown;
                            timeout_ms: number | null;
                            steps: {
                                [key: string]: {
                                    /** @description Default `job` (one of job, condition, approval, delay, notify) */
                                    type: "job" | "condition" | "approval" | "delay" | "notify";
                                    topic: string | null;
                                    depends_on: string[];
                                    condition: string | null;
                                    for_each: string | null;
                                    max_parallel: number | null;
                                    /** @description How a `for_each` step’s children settle it: all, any, ignore_failures (default `all`) */
                                    join: "all" | "any" | "ignore_failures";
                                    input: unknown;
                                    output_path: string | null;
                                    retry: {
                                        max_retries: number;
                                        initial_backoff_ms: number;
                                        max_backoff_ms: number;
                                        multiplier: number;
                                    };
                                    timeout_ms: number | null;
                                    delay_ms: number | null;
                                    delay_until: string | null;
                                    labels: {
                                        [key: string]: string;
                                    };
                                    route_labels: {
                                        [key: string]: string;
                                    };
                                    requires: string[];
                                    meta: {
                                        [key: string]: unknown;
                                    };
                                };
                            };
                        };
                        /** @description Whether the workflow is deleted now (its versions stay readable) */
                        deleted: boolean;
                        /** @description ISO 8601 (UTC) */
                        defined_at: string;
                        /** @description Who saved this version: `api:<key id>` */
                        defined_by: string;
                        /**
                         * @description A position token `<stream>:<sequence>`, e.g. `config:42`
                         * @example config:42
                         */
                        position: string;
                    };
                };
            };
            /** @description Invalid request; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not found (another tenant’s resource is not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description A path parameter is longer than the router accepts (512 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    updateWorkflow: {
        parameters: {
            query?: {
                /** @description The tenant to act on. Required for keys bound to `*` on single-resource operations; a tenant key may only name its own tenant (another is 404). */
                tenant?: string;
            };
            header?: {
                /** @description `"<version>"`: only if the workflow is at this version (else 412); `*`: any version */
                "if-match"?: string;
            };
            path: {
                /** @description A workflow id (`^[A-Za-z0-9_-]{1,64}$`), unique per org */
                id: string;
            };
            cookie?: never;
        };
        /** @description A workflow definition (SPEC 2.1); unknown fields are 400 */
        requestBody: {
            content: {
                "application/json": {
                    /** @description POST: optional, generated (a ULID) when absent; an id already used is 409. PUT: the id in the path, if given */
                    id?: string;
                    name?: string | null;
                    description?: string | null;
                    org_id?: string | null;
                    team_id?: string | null;
                    /** @description A JSON Schema every run’s input must satisfy (400 naming the field otherwise) */
                    input_schema?: {
                        [key: string]: unknown;
                    } | boolean | null;
                    timeout_ms?: number | null;
                    /** @description Step id (`^[a-z0-9][a-z0-9_-]{0,47}$`) → step; at most 200 */
                    steps: {
                        [key: string]: {
                            /** @description Default `job` (one of job, condition, approval, delay, notify) */
                            type?: "job" | "condition" | "approval" | "delay" | "notify";
                            topic?: string | null;
                            depends_on?: string[] | null;
                            condition?: string | null;
                            for_each?: string | null;
                            max_parallel?: number;
                            /** @description How a `for_each` step’s children settle it: all, any, ignore_failures (default `all`) */
                            join?: "all" | "any" | "ignore_failures";
                            /** @description JSON with `${expr}` templates: the step job’s payload */
                            input?: unknown;
                            output_path?: string | null;
                            retry?: {
                                max_retries?: number;
                                initial_backoff_ms?: number;
                                max_backoff_ms?: number;
                                multiplier?: number;
                            } | null;
                            /** @description Each attempt’s limit (default from config) */
                            timeout_ms?: number;
                            delay_ms?: number;
                            delay_until?: string | null;
                            labels?: {
                                [key: string]: string;
                            } | null;
                            route_labels?: {
                                [key: string]: string;
                            } | null;
                            requires?: string[] | null;
                            meta?: {
                                [key: string]: unknown;
                            } | null;
                        };
                    };
                };
            };
        };
        responses: {
            /** @description The workflow after the command */
            200: {
                headers: {
                    /** @description The position token of the command (as `position` in the body) */
                    "x-coretex-position"?: string;
                    /** @description The version: `"<version>"` (send it as If-Match) */
                    etag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        workflow_id: string;
                        /** @description The version saved (also the ETag) */
                        version: number;
                        changed: boolean;
                        /**
                         * @description A position token `<stream>:<sequence>`, e.g. `config:42`
                         * @example config:42
                         */
                        position: string;
                    };
                };
            };
            /** @description Invalid request; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The key’s role (or tenant scope) does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not found (another tenant’s resource is not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource’s state does not allow this, or it kept changing */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description If-Match does not hold: the document is at another revision */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is larger than the configured limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description A path parameter is longer than the router accepts (512 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    deleteWorkflow: {
        parameters: {
            query?: {
                /** @description The tenant to act on. Required for keys bound to `*` on single-resource operations; a tenant key may only name its own tenant (another is 404). */
                tenant?: string;
            };
            header?: {
                /** @description `"<version>"`: only if the workflow is at this version (else 412); `*`: any version */
                "if-match"?: string;
            };
            path: {
                /** @description A workflow id (`^[A-Za-z0-9_-]{1,64}$`), unique per org */
                id: string;
            };
            cookie?: never;
        };
        /** @description No options: send no body, or {} */
        requestBody?: {
            content: {
                "application/json": null | Record<string, never>;
            };
        };
        responses: {
            /** @description No content */
            204: {
                headers: {
                    /** @description The position token of the command (as `position` in the body) */
                    "x-coretex-position"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The key’s role (or tenant scope) does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not found (another tenant’s resource is not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource’s state does not allow this, or it kept changing */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description If-Match does not hold: the document is at another revision */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is larger than the configured limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description A path parameter is longer than the router accepts (512 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    startWorkflowRun: {
        parameters: {
            query?: {
                /** @description The tenant to act on. Required for keys bound to `*` on single-resource operations; a tenant key may only name its own tenant (another is 404). */
                tenant?: string;
            };
            header?: {
                /** @description Claimed per tenant for 24 h: the same key and body answer the original run (200), another body is 409 */
                "idempotency-key"?: string;
            };
            path: {
                /** @description A workflow id (`^[A-Za-z0-9_-]{1,64}$`), unique per org */
                id: string;
            };
            cookie?: never;
        };
        /** @description Starts a run of the workflow’s latest version; unknown fields are 400 */
        requestBody: {
            content: {
                "application/json": {
                    /** @description The run’s input (default `{}`), checked against the workflow’s `input_schema`: a mismatch is 400 naming the field (`input.<path>`) */
                    input?: unknown;
                    /** @description A team within the org */
                    team_id?: string;
                    /** @description Also accepted as the `Idempotency-Key` header (the two must agree) */
                    idempotency_key?: string;
                };
            };
        };
        responses: {
            /** @description A replay: the run this key and body started */
            200: {
                headers: {
                    /** @description The position token of the command (as `position` in the body) */
                    "x-coretex-position"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        run_id: string;
                        workflow_id: string;
                        /** @description The version the run is pinned to */
                        workflow_version: number;
                        /** @description Run state: PENDING, RUNNING, WAITING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT */
                        status: "PENDING" | "RUNNING" | "WAITING" | "SUCCEEDED" | "FAILED" | "CANCELLED" | "TIMED_OUT";
                        trace_id: string;
                        /**
                         * @description A position token `<stream>:<sequence>`, e.g. `config:42`
                         * @example config:42
                         */
                        position: string;
                    };
                };
            };
            /** @description The run was started */
            201: {
                headers: {
                    /** @description The position token of the command (as `position` in the body) */
                    "x-coretex-position"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        run_id: string;
                        workflow_id: string;
                        /** @description The version the run is pinned to */
                        workflow_version: number;
                        /** @description Run state: PENDING, RUNNING, WAITING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT */
                        status: "PENDING" | "RUNNING" | "WAITING" | "SUCCEEDED" | "FAILED" | "CANCELLED" | "TIMED_OUT";
                        trace_id: string;
                        /**
                         * @description A position token `<stream>:<sequence>`, e.g. `config:42`
                         * @example config:42
                         */
                        position: string;
                    };
                };
            };
            /** @description Invalid request; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The key’s role (or tenant scope) does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not found (another tenant’s resource is not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource’s state does not allow this, or it kept changing */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is larger than the configured limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description A path parameter is longer than the router accepts (512 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    listWorkflowRuns: {
        parameters: {
            query?: {
                /** @description Run state: PENDING, RUNNING, WAITING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT */
                status?: "PENDING" | "RUNNING" | "WAITING" | "SUCCEEDED" | "FAILED" | "CANCELLED" | "TIMED_OUT";
                workflow_id?: string;
                team_id?: string;
                /** @description The tenant to act on. Required for keys bound to `*` on single-resource operations; a tenant key may only name its own tenant (another is 404). */
                tenant?: string;
                /** @description Earliest created_at, inclusive: epoch milliseconds or an ISO 8601 date-time */
                from?: string;
                /** @description Latest created_at, inclusive: epoch milliseconds or an ISO 8601 date-time */
                to?: string;
                limit?: number;
                /** @description Opaque: `next_cursor` of the previous page */
                cursor?: string;
                /** @description Wait (bounded, default 2 s) until the read model has applied this position (a `position` from a command answer); else 503 with Retry-After. Also accepted as the `X-Coretex-Min-Position` header. */
                min_position?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of runs */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            run_id: string;
                            tenant: string;
                            workflow_id: string;
                            workflow_version: number;
                            team_id: string | null;
                            /** @description Run state: PENDING, RUNNING, WAITING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT */
                            status: "PENDING" | "RUNNING" | "WAITING" | "SUCCEEDED" | "FAILED" | "CANCELLED" | "TIMED_OUT";
                            /** @description ISO 8601 (UTC) */
                            created_at: string;
                            /** @description ISO 8601 (UTC) */
                            updated_at: string;
                            ended_at: string | null;
                            started_by: string;
                            trace_id: string;
                            rerun_of: string | null;
                            error: {
                                code: string;
                                message: string;
                                step_id: string | null;
                            } | null;
                            /** @description Each step’s status */
                            steps: {
                                [key: string]: string;
                            };
                        }[];
                        /** @description null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Invalid request; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not found (another tenant’s resource is not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not ready, or the read model is behind; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    getWorkflowRun: {
        parameters: {
            query?: {
                /** @description The tenant to act on. Required for keys bound to `*` on single-resource operations; a tenant key may only name its own tenant (another is 404). */
                tenant?: string;
            };
            header?: never;
            path: {
                /** @description A run id (a ULID) */
                run_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A run as the event store knows it (authoritative, never stale) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        run_id: string;
                        tenant: string;
                        workflow_id: string;
                        workflow_version: number;
                        team_id: string | null;
                        /** @description Run state: PENDING, RUNNING, WAITING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT */
                        status: "PENDING" | "RUNNING" | "WAITING" | "SUCCEEDED" | "FAILED" | "CANCELLED" | "TIMED_OUT";
                        input: unknown;
                        /** @description Once SUCCEEDED: the steps’ outputs at their `output_path`s; else null */
                        output: unknown;
                        error: {
                            code: string;
                            message: string;
                            step_id: string | null;
                        } | null;
                        trace_id: string;
                        started_by: string;
                        /** @description ISO 8601 (UTC) */
                        started_at: string;
                        ended_at: string | null;
                        timeout_at: string | null;
                        rerun_of: {
                            run_id: string;
                            from_step: string | null;
                        } | null;
                        steps: {
                            [key: string]: {
                                /** @description job, condition, approval, delay, notify */
                                type: string;
                                /** @description Step state */
                                status: "PENDING" | "RUNNING" | "WAITING" | "SUCCEEDED" | "SKIPPED" | "FAILED" | "CANCELLED" | "TIMED_OUT";
                                started_at: string | null;
                                ended_at: string | null;
                                wait: {
                                    reason: "approval" | "delay";
                                    /** @description ISO 8601 (UTC) */
                                    until: string;
                                    /** @description Approval steps: the rendered input shown to approvers */
                                    request: unknown;
                                } | null;
                                /** @description The latest step job of each unit (one, or one per `for_each` child) */
                                job_ids: string[];
                                /** @description Step jobs created for the step so far, retries included (summed over `for_each` children) */
                                attempts: number;
                                output: unknown;
                                output_ptr: string | null;
                                error: {
                                    code: string;
                                    message: string;
                                } | null;
                                /** @description Copied from the run this one reruns */
                                reused: boolean;
                            };
                        };
                        /**
                         * @description A position token `<stream>:<sequence>`, e.g. `config:42`
                         * @example config:42
                         */
                        position: string;
                    };
                };
            };
            /** @description Invalid request; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not found (another tenant’s resource is not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description A path parameter is longer than the router accepts (512 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    listWorkflowRunEvents: {
        parameters: {
            query?: {
                /** @description The tenant to act on. Required for keys bound to `*` on single-resource operations; a tenant key may only name its own tenant (another is 404). */
                tenant?: string;
                limit?: number;
                /** @description Opaque: `next_cursor` of the previous page */
                cursor?: string;
            };
            header?: never;
            path: {
                /** @description A run id (a ULID) */
                run_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Events, oldest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            /** @description `RunStarted`, `RunStepsScheduled`, `RunCancelled`, ... */
                            type: string;
                            /** @description ISO 8601 (UTC) */
                            time: string;
                            /**
                             * @description A position token `<stream>:<sequence>`, e.g. `config:42`
                             * @example config:42
                             */
                            position: string;
                            /** @description Who caused it: `api:<key id>`, `scheduler`, `worker:<id>`, ... */
                            actor: string;
                            trace_id: string | null;
                            causation_id: string | null;
                            correlation_id: string | null;
                            data: unknown;
                        }[];
                        /** @description null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Invalid request; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not found (another tenant’s resource is not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description A path parameter is longer than the router accepts (512 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    cancelWorkflowRun: {
        parameters: {
            query?: {
                /** @description The tenant to act on. Required for keys bound to `*` on single-resource operations; a tenant key may only name its own tenant (another is 404). */
                tenant?: string;
            };
            header?: never;
            path: {
                /** @description A run id (a ULID) */
                run_id: string;
            };
            cookie?: never;
        };
        /** @description Optional: `{reason}`, or no body */
        requestBody?: {
            content: {
                "application/json": null | {
                    /** @description Recorded in the run’s events */
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description The run after the command */
            200: {
                headers: {
                    /** @description The position token of the command (as `position` in the body) */
                    "x-coretex-position"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        run_id: string;
                        /** @description Run state: PENDING, RUNNING, WAITING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT */
                        status: "PENDING" | "RUNNING" | "WAITING" | "SUCCEEDED" | "FAILED" | "CANCELLED" | "TIMED_OUT";
                        /** @description false: the command changed nothing (e.g. cancelling an ended run) */
                        changed: boolean;
                        /**
                         * @description A position token `<stream>:<sequence>`, e.g. `config:42`
                         * @example config:42
                         */
                        position: string;
                    };
                };
            };
            /** @description Invalid request; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The key’s role (or tenant scope) does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not found (another tenant’s resource is not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource’s state does not allow this, or it kept changing */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is larger than the configured limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description A path parameter is longer than the router accepts (512 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    approveWorkflowRunStep: {
        parameters: {
            query?: {
                /** @description The tenant to act on. Required for keys bound to `*` on single-resource operations; a tenant key may only name its own tenant (another is 404). */
                tenant?: string;
            };
            header?: never;
            path: {
                /** @description A run id (a ULID) */
                run_id: string;
                /** @description A step id of the run’s definition */
                step_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description true approves the step; false rejects it (the step fails) */
                    approved: boolean;
                    /** @description Recorded in the run’s events */
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description The run and the step after the answer */
            200: {
                headers: {
                    /** @description The position token of the command (as `position` in the body) */
                    "x-coretex-position"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        run_id: string;
                        /** @description Run state: PENDING, RUNNING, WAITING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT */
                        status: "PENDING" | "RUNNING" | "WAITING" | "SUCCEEDED" | "FAILED" | "CANCELLED" | "TIMED_OUT";
                        /** @description false: the command changed nothing (e.g. cancelling an ended run) */
                        changed: boolean;
                        /**
                         * @description A position token `<stream>:<sequence>`, e.g. `config:42`
                         * @example config:42
                         */
                        position: string;
                        step_id: string;
                        /** @description Step state */
                        step_status: "PENDING" | "RUNNING" | "WAITING" | "SUCCEEDED" | "SKIPPED" | "FAILED" | "CANCELLED" | "TIMED_OUT";
                    };
                };
            };
            /** @description Invalid request; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The key’s role (or tenant scope) does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not found (another tenant’s resource is not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource’s state does not allow this, or it kept changing */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is larger than the configured limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description A path parameter is longer than the router accepts (512 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    rerunWorkflowRun: {
        parameters: {
            query?: {
                /** @description The tenant to act on. Required for keys bound to `*` on single-resource operations; a tenant key may only name its own tenant (another is 404). */
                tenant?: string;
            };
            header?: {
                /** @description Claimed per tenant for 24 h: the same key and body answer the original run (200), another body is 409 */
                "idempotency-key"?: string;
            };
            path: {
                /** @description A run id (a ULID) */
                run_id: string;
            };
            cookie?: never;
        };
        /** @description Optional: `{from_step}`, or no body */
        requestBody?: {
            content: {
                "application/json": null | {
                    from_step?: string | null;
                };
            };
        };
        responses: {
            /** @description A replay: the run this key started */
            200: {
                headers: {
                    /** @description The position token of the command (as `position` in the body) */
                    "x-coretex-position"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        run_id: string;
                        workflow_id: string;
                        /** @description The version the run is pinned to */
                        workflow_version: number;
                        /** @description Run state: PENDING, RUNNING, WAITING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT */
                        status: "PENDING" | "RUNNING" | "WAITING" | "SUCCEEDED" | "FAILED" | "CANCELLED" | "TIMED_OUT";
                        trace_id: string;
                        /**
                         * @description A position token `<stream>:<sequence>`, e.g. `config:42`
                         * @example config:42
                         */
                        position: string;
                        /** @description The run this one reruns */
                        rerun_of: string;
                    };
                };
            };
            /** @description The new run */
            201: {
                headers: {
                    /** @description The position token of the command (as `position` in the body) */
                    "x-coretex-position"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        run_id: string;
                        workflow_id: string;
                        /** @description The version the run is pinned to */
                        workflow_version: number;
                        /** @description Run state: PENDING, RUNNING, WAITING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT */
                        status: "PENDING" | "RUNNING" | "WAITING" | "SUCCEEDED" | "FAILED" | "CANCELLED" | "TIMED_OUT";
                        trace_id: string;
                        /**
                         * @description A position token `<stream>:<sequence>`, e.g. `config:42`
                         * @example config:42
                         */
                        position: string;
                        /** @description The run this one reruns */
                        rerun_of: string;
                    };
                };
            };
            /** @description Invalid request; `field` names the offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No API key, or an unknown one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The key’s role (or tenant scope) does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not found (another tenant’s resource is not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource’s state does not allow this, or it kept changing */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is larger than the configured limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description A path parameter is longer than the router accepts (512 characters) */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @description A URI naming the kind of problem: `urn:coretex:problem:<code>` */
                        type: string;
                        title: string;
                        status: number;
                        detail: string;
                        /** @description Stable, machine-readable */
                        code: string;
                        /** @description The offending field, for validation errors */
                        field?: string;
                        /** @description For server errors: quote it when reporting */
                        request_id?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
}
