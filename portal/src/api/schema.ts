// Generated from the platform's OpenAPI document by portal/scripts/gen-api.ts: do not edit.
export interface paths {
    "/api/v1/auth": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description How to sign in: `local` (user and password, POST /api/v1/sessions) and, when configured, `oidc` (the browser goes to `oidc.start`). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description How to sign in */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            methods: ("local" | "oidc")[];
                            oidc?: {
                                /** @example Okta */
                                name: string;
                                /** @example /api/v1/auth/oidc/start */
                                start: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Signs in with a local account. Failed sign-ins are limited per account and per client address; past the limit the answer is 429 with Retry-After, before any password is checked. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        user: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Signed in: send the token as a bearer token (it lasts 12 hours) */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            token: string;
                            user: {
                                id: string;
                                name: string;
                                email: string;
                                team: string;
                                isAdmin: boolean;
                            };
                        };
                    };
                };
                /** @description Bad input: the message says what to fix */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description No valid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Too many failed sign-ins: wait as long as Retry-After says */
                429: {
                    headers: {
                        /** @description Seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Signed out: the token no longer works */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The signed-in user */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            email: string;
                            team: string;
                            isAdmin: boolean;
                        };
                    };
                };
                /** @description No valid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/teams": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Teams */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            teams: {
                                id: string;
                                title: string;
                                members: string[];
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Your tokens that still work, newest first (never their secrets) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            tokens: {
                                /** @example tok_k3x9q2mz */
                                id: string;
                                /** @description `cli` or `session` */
                                kind: string;
                                label: string;
                                createdAt: string;
                                expiresAt: string;
                                /** @description Updated at most once a minute */
                                lastUsedAt: string | null;
                                /** @description The token this request was made with */
                                current: boolean;
                            }[];
                        };
                    };
                };
                /** @description No valid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /** @description Creates an API token for you (a CLI or automation token). Its secret is in this answer only: it is never shown again. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        label: string;
                        /**
                         * @description How long it works (default 90 days)
                         * @example 90
                         */
                        days?: number;
                    };
                };
            };
            responses: {
                /** @description The new token */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @example tok_k3x9q2mz */
                            id: string;
                            /** @description `cli` or `session` */
                            kind: string;
                            label: string;
                            createdAt: string;
                            expiresAt: string;
                            /** @description Updated at most once a minute */
                            lastUsedAt: string | null;
                            /** @description The token this request was made with */
                            current: boolean;
                            /** @description The secret, shown once */
                            token: string;
                        };
                    };
                };
                /** @description Bad input: the message says what to fix */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description No valid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Revoked: the token no longer works (revoking the current one signs you out) */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description No valid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stream-tickets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description A single-use ticket to open /api/v1/environments/{id}/stream?ticket=… (EventSource cannot send a header). It opens one stream of that environment, once, within 60 s. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        environmentId: string;
                    };
                };
            };
            responses: {
                /** @description The ticket */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            ticket: string;
                            expiresAt: string;
                        };
                    };
                };
                /** @description Bad input: the message says what to fix */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description No valid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/paths": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Golden paths, and the files that could not be loaded */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            paths: {
                                name: string;
                                title: string;
                                description: string;
                                audience: string;
                                use: string | null;
                                tags: string[];
                                owner: string;
                                version: string;
                                dataClass: string | null;
                                approval: string;
                                extensible: boolean;
                                resources: {
                                    id: string;
                                    type: string;
                                }[];
                                parameters: {
                                    [key: string]: unknown;
                                };
                                docs: string | null;
                                /** @description Estimated cost per day at the rate card's prices; null while the rate card has errors */
                                cost: {
                                    currency: string;
                                    perDay: string;
                                    items: {
                                        resource: string;
                                        type: string;
                                        perDay: string;
                                        basis: string;
                                    }[];
                                } | null;
                            }[];
                            errors: {
                                file: string;
                                line: number | null;
                                field: string | null;
                                message: string;
                                text: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/paths/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description One golden path */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            name: string;
                            title: string;
                            description: string;
                            audience: string;
                            use: string | null;
                            tags: string[];
                            owner: string;
                            version: string;
                            dataClass: string | null;
                            approval: string;
                            extensible: boolean;
                            resources: {
                                id: string;
                                type: string;
                            }[];
                            parameters: {
                                [key: string]: unknown;
                            };
                            docs: string | null;
                            /** @description Estimated cost per day at the rate card's prices; null while the rate card has errors */
                            cost: {
                                currency: string;
                                perDay: string;
                                items: {
                                    resource: string;
                                    type: string;
                                    perDay: string;
                                    basis: string;
                                }[];
                            } | null;
                        };
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tools": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Every tool a golden path may start, with its licence, support model and category, and the paths that use it. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The registry's tools */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            tools: {
                                id: string;
                                title: string | null;
                                /** @enum {string} */
                                category: "notebook" | "ide" | "database" | "etl" | "vcs" | "storage" | "llm" | "web" | "runtime" | "cache" | "queue";
                                licence: string;
                                /** @enum {string} */
                                support: "vendor" | "community" | "internal" | "none";
                                provides: string[];
                                homepage: string | null;
                                /** @description the loaded golden paths that start this tool */
                                usedBy: string[];
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Every model the LLM gateway knows, with whether it would serve it to you and the policy that decides. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The registry's models */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            models: {
                                id: string;
                                title: string | null;
                                licence: string;
                                /** @enum {string} */
                                support: "vendor" | "community" | "internal" | "none";
                                trainedOnCopyrightedData: boolean;
                                trainingData: string;
                                homepage: string | null;
                                /** @description whether the gateway would serve it to the caller */
                                allowed: boolean;
                                /** @description the deciding policies and why */
                                reason: string;
                                policies: string[];
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/models/{id}/admission": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Asks whether the LLM gateway may serve this model to you: 200 when it may, 403 with the policy and its reason when not. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The gateway may serve it */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            model: string;
                            /** @enum {boolean} */
                            allowed: true;
                            policies: string[];
                        };
                    };
                };
                /** @description Not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/teams/{id}/quotas": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description What the team holds now against each of its limits; a launch that would go over one is refused. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Usage and limits */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            team: string;
                            quotas: {
                                /** @enum {string} */
                                name: "runningEnvironments" | "notebooks" | "warehouseConnections" | "storageMb";
                                limit: number;
                                used: number;
                                /** @example environments */
                                unit: string;
                            }[];
                        };
                    };
                };
                /** @description Not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/environments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: {
                    team?: string;
                    mine?: "true" | "false";
                    includeDeleted?: "true" | "false";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Environments of a team (default: yours) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            environments: {
                                id: string;
                                name: string;
                                path: string;
                                team: string;
                                owner: string;
                                /** @enum {string|null} */
                                dataClass: "synthetic" | "masked" | "sensitive" | null;
                                /** @enum {string} */
                                status: "requested" | "awaiting-approval" | "provisioning" | "ready" | "stopping" | "stopped" | "deleting" | "deleted" | "failed";
                                /** @enum {string} */
                                desired: "ready" | "stopped" | "deleted";
                                reason: string | null;
                                params: {
                                    [key: string]: unknown;
                                };
                                createdAt: string;
                                updatedAt: string;
                                readyAt: string | null;
                                deletedAt: string | null;
                                expiresAt: string | null;
                                lastActivityAt: string | null;
                                resources: {
                                    id: string;
                                    type: string;
                                    /** @enum {string} */
                                    status: "pending" | "provisioning" | "ready" | "stopped" | "deprovisioning" | "deleted" | "failed";
                                    outputs: {
                                        [key: string]: unknown;
                                    };
                                    error: string | null;
                                    updatedAt: string;
                                }[];
                                extension?: {
                                    resources: {
                                        [key: string]: {
                                            type: string;
                                            description?: string;
                                            /** @default {} */
                                            params: {
                                                [key: string]: unknown;
                                            };
                                            /** @default [] */
                                            dependsOn: string[];
                                        };
                                    };
                                    env: {
                                        [key: string]: {
                                            [key: string]: string | number | boolean;
                                        };
                                    };
                                    parameters: {
                                        [key: string]: unknown;
                                    };
                                    /** @enum {string} */
                                    from: "launch" | "repository";
                                    commit?: string;
                                } | null;
                                credentialsHidden?: boolean;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        path: string;
                        team?: string;
                        name?: string;
                        /** @default {} */
                        params?: {
                            [key: string]: unknown;
                        };
                        reason?: string;
                        extension?: string | {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            responses: {
                /** @description Launch accepted; follow /environments/{id}/stream for progress */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            path: string;
                            team: string;
                            owner: string;
                            /** @enum {string|null} */
                            dataClass: "synthetic" | "masked" | "sensitive" | null;
                            /** @enum {string} */
                            status: "requested" | "awaiting-approval" | "provisioning" | "ready" | "stopping" | "stopped" | "deleting" | "deleted" | "failed";
                            /** @enum {string} */
                            desired: "ready" | "stopped" | "deleted";
                            reason: string | null;
                            params: {
                                [key: string]: unknown;
                            };
                            createdAt: string;
                            updatedAt: string;
                            readyAt: string | null;
                            deletedAt: string | null;
                            expiresAt: string | null;
                            lastActivityAt: string | null;
                            resources: {
                                id: string;
                                type: string;
                                /** @enum {string} */
                                status: "pending" | "provisioning" | "ready" | "stopped" | "deprovisioning" | "deleted" | "failed";
                                outputs: {
                                    [key: string]: unknown;
                                };
                                error: string | null;
                                updatedAt: string;
                            }[];
                            extension?: {
                                resources: {
                                    [key: string]: {
                                        type: string;
                                        description?: string;
                                        /** @default {} */
                                        params: {
                                            [key: string]: unknown;
                                        };
                                        /** @default [] */
                                        dependsOn: string[];
                                    };
                                };
                                env: {
                                    [key: string]: {
                                        [key: string]: string | number | boolean;
                                    };
                                };
                                parameters: {
                                    [key: string]: unknown;
                                };
                                /** @enum {string} */
                                from: "launch" | "repository";
                                commit?: string;
                            } | null;
                            credentialsHidden?: boolean;
                        };
                    };
                };
                /** @description Bad input: the message says what to fix */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description No valid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/environments/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description One environment with its resources and their outputs */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            path: string;
                            team: string;
                            owner: string;
                            /** @enum {string|null} */
                            dataClass: "synthetic" | "masked" | "sensitive" | null;
                            /** @enum {string} */
                            status: "requested" | "awaiting-approval" | "provisioning" | "ready" | "stopping" | "stopped" | "deleting" | "deleted" | "failed";
                            /** @enum {string} */
                            desired: "ready" | "stopped" | "deleted";
                            reason: string | null;
                            params: {
                                [key: string]: unknown;
                            };
                            createdAt: string;
                            updatedAt: string;
                            readyAt: string | null;
                            deletedAt: string | null;
                            expiresAt: string | null;
                            lastActivityAt: string | null;
                            resources: {
                                id: string;
                                type: string;
                                /** @enum {string} */
                                status: "pending" | "provisioning" | "ready" | "stopped" | "deprovisioning" | "deleted" | "failed";
                                outputs: {
                                    [key: string]: unknown;
                                };
                                error: string | null;
                                updatedAt: string;
                            }[];
                            extension?: {
                                resources: {
                                    [key: string]: {
                                        type: string;
                                        description?: string;
                                        /** @default {} */
                                        params: {
                                            [key: string]: unknown;
                                        };
                                        /** @default [] */
                                        dependsOn: string[];
                                    };
                                };
                                env: {
                                    [key: string]: {
                                        [key: string]: string | number | boolean;
                                    };
                                };
                                parameters: {
                                    [key: string]: unknown;
                                };
                                /** @enum {string} */
                                from: "launch" | "repository";
                                commit?: string;
                            } | null;
                            credentialsHidden?: boolean;
                        };
                    };
                };
                /** @description Not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deletion accepted */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            path: string;
                            team: string;
                            owner: string;
                            /** @enum {string|null} */
                            dataClass: "synthetic" | "masked" | "sensitive" | null;
                            /** @enum {string} */
                            status: "requested" | "awaiting-approval" | "provisioning" | "ready" | "stopping" | "stopped" | "deleting" | "deleted" | "failed";
                            /** @enum {string} */
                            desired: "ready" | "stopped" | "deleted";
                            reason: string | null;
                            params: {
                                [key: string]: unknown;
                            };
                            createdAt: string;
                            updatedAt: string;
                            readyAt: string | null;
                            deletedAt: string | null;
                            expiresAt: string | null;
                            lastActivityAt: string | null;
                            resources: {
                                id: string;
                                type: string;
                                /** @enum {string} */
                                status: "pending" | "provisioning" | "ready" | "stopped" | "deprovisioning" | "deleted" | "failed";
                                outputs: {
                                    [key: string]: unknown;
                                };
                                error: string | null;
                                updatedAt: string;
                            }[];
                            extension?: {
                                resources: {
                                    [key: string]: {
                                        type: string;
                                        description?: string;
                                        /** @default {} */
                                        params: {
                                            [key: string]: unknown;
                                        };
                                        /** @default [] */
                                        dependsOn: string[];
                                    };
                                };
                                env: {
                                    [key: string]: {
                                        [key: string]: string | number | boolean;
                                    };
                                };
                                parameters: {
                                    [key: string]: unknown;
                                };
                                /** @enum {string} */
                                from: "launch" | "repository";
                                commit?: string;
                            } | null;
                            credentialsHidden?: boolean;
                        };
                    };
                };
                /** @description Not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/environments/{id}/stop": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Stopping: running processes end, work and data access are kept */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            path: string;
                            team: string;
                            owner: string;
                            /** @enum {string|null} */
                            dataClass: "synthetic" | "masked" | "sensitive" | null;
                            /** @enum {string} */
                            status: "requested" | "awaiting-approval" | "provisioning" | "ready" | "stopping" | "stopped" | "deleting" | "deleted" | "failed";
                            /** @enum {string} */
                            desired: "ready" | "stopped" | "deleted";
                            reason: string | null;
                            params: {
                                [key: string]: unknown;
                            };
                            createdAt: string;
                            updatedAt: string;
                            readyAt: string | null;
                            deletedAt: string | null;
                            expiresAt: string | null;
                            lastActivityAt: string | null;
                            resources: {
                                id: string;
                                type: string;
                                /** @enum {string} */
                                status: "pending" | "provisioning" | "ready" | "stopped" | "deprovisioning" | "deleted" | "failed";
                                outputs: {
                                    [key: string]: unknown;
                                };
                                error: string | null;
                                updatedAt: string;
                            }[];
                            extension?: {
                                resources: {
                                    [key: string]: {
                                        type: string;
                                        description?: string;
                                        /** @default {} */
                                        params: {
                                            [key: string]: unknown;
                                        };
                                        /** @default [] */
                                        dependsOn: string[];
                                    };
                                };
                                env: {
                                    [key: string]: {
                                        [key: string]: string | number | boolean;
                                    };
                                };
                                parameters: {
                                    [key: string]: unknown;
                                };
                                /** @enum {string} */
                                from: "launch" | "repository";
                                commit?: string;
                            } | null;
                            credentialsHidden?: boolean;
                        };
                    };
                };
                /** @description Not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/environments/{id}/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Starting again */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            path: string;
                            team: string;
                            owner: string;
                            /** @enum {string|null} */
                            dataClass: "synthetic" | "masked" | "sensitive" | null;
                            /** @enum {string} */
                            status: "requested" | "awaiting-approval" | "provisioning" | "ready" | "stopping" | "stopped" | "deleting" | "deleted" | "failed";
                            /** @enum {string} */
                            desired: "ready" | "stopped" | "deleted";
                            reason: string | null;
                            params: {
                                [key: string]: unknown;
                            };
                            createdAt: string;
                            updatedAt: string;
                            readyAt: string | null;
                            deletedAt: string | null;
                            expiresAt: string | null;
                            lastActivityAt: string | null;
                            resources: {
                                id: string;
                                type: string;
                                /** @enum {string} */
                                status: "pending" | "provisioning" | "ready" | "stopped" | "deprovisioning" | "deleted" | "failed";
                                outputs: {
                                    [key: string]: unknown;
                                };
                                error: string | null;
                                updatedAt: string;
                            }[];
                            extension?: {
                                resources: {
                                    [key: string]: {
                                        type: string;
                                        description?: string;
                                        /** @default {} */
                                        params: {
                                            [key: string]: unknown;
                                        };
                                        /** @default [] */
                                        dependsOn: string[];
                                    };
                                };
                                env: {
                                    [key: string]: {
                                        [key: string]: string | number | boolean;
                                    };
                                };
                                parameters: {
                                    [key: string]: unknown;
                                };
                                /** @enum {string} */
                                from: "launch" | "repository";
                                commit?: string;
                            } | null;
                            credentialsHidden?: boolean;
                        };
                    };
                };
                /** @description Not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/environments/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: {
                    after?: number | null;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The environment's history, oldest first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            events: {
                                id: number;
                                environment: string;
                                resource: string | null;
                                type: string;
                                message: string;
                                at: string;
                            }[];
                        };
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/environments/{id}/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Live progress as server-sent events: `event` (an EventView) for each new event, then `environment` (an EnvironmentView). EventSource cannot send a header: give a single-use `?ticket=` from POST /api/v1/stream-tickets instead (an API token in the URL is refused). */
        get: {
            parameters: {
                query?: {
                    after?: number | null;
                    ticket?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
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
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/environments/{id}/resources/{resourceId}/builds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: {
                    limit?: number;
                };
                header?: never;
                path: {
                    id: string;
                    resourceId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The resource's builds, newest first, each with its status, error line and log */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            builds: {
                                id: string;
                                environment: string;
                                resource: string;
                                /** @description the commit built (40 hex digits) */
                                commit: string;
                                /** @enum {string} */
                                status: "running" | "succeeded" | "failed";
                                startedAt: string;
                                finishedAt: string | null;
                                durationMs: number | null;
                                /** @description the line of the log that says what went wrong */
                                error: string | null;
                                /** @description the build's output, capped; the environment's own secrets are masked */
                                log: string;
                            }[];
                        };
                    };
                };
                /** @description Not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
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
        get: {
            parameters: {
                query?: {
                    status?: "pending" | "approved" | "rejected" | "cancelled";
                    mine?: "true" | "false";
                    environment?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Requests for data access your team decides; with mine=true, the ones you made; with environment=<id>, those of one environment you may see */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            approvals: {
                                id: string;
                                environment: string;
                                environmentName: string;
                                environmentTeam: string;
                                path: string;
                                approverTeam: string;
                                requestedBy: string;
                                requestedByName: string;
                                reason: string;
                                dataClass: string;
                                datasets: string[];
                                /** @enum {string} */
                                status: "pending" | "approved" | "rejected" | "cancelled";
                                decidedBy: string | null;
                                breakGlass: boolean;
                                youMay?: {
                                    decide: boolean;
                                    breakGlass: boolean;
                                };
                                decisionReason: string | null;
                                requestedAt: string;
                                decidedAt: string | null;
                                expiresAt: string | null;
                                granted: string | null;
                                revokedAt: string | null;
                            }[];
                        };
                    };
                };
                /** @description Not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/approvals/{id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason: string;
                    };
                };
            };
            responses: {
                /** @description The request, approved */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            environment: string;
                            environmentName: string;
                            environmentTeam: string;
                            path: string;
                            approverTeam: string;
                            requestedBy: string;
                            requestedByName: string;
                            reason: string;
                            dataClass: string;
                            datasets: string[];
                            /** @enum {string} */
                            status: "pending" | "approved" | "rejected" | "cancelled";
                            decidedBy: string | null;
                            breakGlass: boolean;
                            youMay?: {
                                decide: boolean;
                                breakGlass: boolean;
                            };
                            decisionReason: string | null;
                            requestedAt: string;
                            decidedAt: string | null;
                            expiresAt: string | null;
                            granted: string | null;
                            revokedAt: string | null;
                        };
                    };
                };
                /** @description Bad input: the message says what to fix */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description No valid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/approvals/{id}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason: string;
                    };
                };
            };
            responses: {
                /** @description The request, rejectd */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            environment: string;
                            environmentName: string;
                            environmentTeam: string;
                            path: string;
                            approverTeam: string;
                            requestedBy: string;
                            requestedByName: string;
                            reason: string;
                            dataClass: string;
                            datasets: string[];
                            /** @enum {string} */
                            status: "pending" | "approved" | "rejected" | "cancelled";
                            decidedBy: string | null;
                            breakGlass: boolean;
                            youMay?: {
                                decide: boolean;
                                breakGlass: boolean;
                            };
                            decisionReason: string | null;
                            requestedAt: string;
                            decidedAt: string | null;
                            expiresAt: string | null;
                            granted: string | null;
                            revokedAt: string | null;
                        };
                    };
                };
                /** @description Bad input: the message says what to fix */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description No valid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/approvals/{id}/break-glass": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description A platform admin approves or rejects for an owning team they are not in. Off unless a policy allows the breakGlass action; always recorded as break-glass, and the owning team is told. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        decision: "approve" | "reject";
                        reason: string;
                    };
                };
            };
            responses: {
                /** @description The request, decided by break-glass */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            environment: string;
                            environmentName: string;
                            environmentTeam: string;
                            path: string;
                            approverTeam: string;
                            requestedBy: string;
                            requestedByName: string;
                            reason: string;
                            dataClass: string;
                            datasets: string[];
                            /** @enum {string} */
                            status: "pending" | "approved" | "rejected" | "cancelled";
                            decidedBy: string | null;
                            breakGlass: boolean;
                            youMay?: {
                                decide: boolean;
                                breakGlass: boolean;
                            };
                            decisionReason: string | null;
                            requestedAt: string;
                            decidedAt: string | null;
                            expiresAt: string | null;
                            granted: string | null;
                            revokedAt: string | null;
                        };
                    };
                };
                /** @description Bad input: the message says what to fix */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description No valid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/environments/{id}/extend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        /**
                         * @description How much longer, e.g. 12h or 2d; default one more ttl, as far as the limit
                         * @example 2d
                         */
                        by?: string;
                    };
                };
            };
            responses: {
                /** @description Extended: expiresAt is the new expiry */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            path: string;
                            team: string;
                            owner: string;
                            /** @enum {string|null} */
                            dataClass: "synthetic" | "masked" | "sensitive" | null;
                            /** @enum {string} */
                            status: "requested" | "awaiting-approval" | "provisioning" | "ready" | "stopping" | "stopped" | "deleting" | "deleted" | "failed";
                            /** @enum {string} */
                            desired: "ready" | "stopped" | "deleted";
                            reason: string | null;
                            params: {
                                [key: string]: unknown;
                            };
                            createdAt: string;
                            updatedAt: string;
                            readyAt: string | null;
                            deletedAt: string | null;
                            expiresAt: string | null;
                            lastActivityAt: string | null;
                            resources: {
                                id: string;
                                type: string;
                                /** @enum {string} */
                                status: "pending" | "provisioning" | "ready" | "stopped" | "deprovisioning" | "deleted" | "failed";
                                outputs: {
                                    [key: string]: unknown;
                                };
                                error: string | null;
                                updatedAt: string;
                            }[];
                            extension?: {
                                resources: {
                                    [key: string]: {
                                        type: string;
                                        description?: string;
                                        /** @default {} */
                                        params: {
                                            [key: string]: unknown;
                                        };
                                        /** @default [] */
                                        dependsOn: string[];
                                    };
                                };
                                env: {
                                    [key: string]: {
                                        [key: string]: string | number | boolean;
                                    };
                                };
                                parameters: {
                                    [key: string]: unknown;
                                };
                                /** @enum {string} */
                                from: "launch" | "repository";
                                commit?: string;
                            } | null;
                            credentialsHidden?: boolean;
                        };
                    };
                };
                /** @description Bad input: the message says what to fix */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: {
                    unread?: "true" | "false";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Your notices and your team's, newest first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            notices: {
                                id: number;
                                at: string;
                                user: string | null;
                                team: string | null;
                                kind: string;
                                message: string;
                                environment: string | null;
                                environmentName: string | null;
                                readAt: string | null;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notices/{id}/read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Marked read (for you alone, when it went to your team) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: number;
                            at: string;
                            user: string | null;
                            team: string | null;
                            kind: string;
                            message: string;
                            environment: string | null;
                            environmentName: string | null;
                            readAt: string | null;
                        };
                    };
                };
                /** @description Bad input: the message says what to fix */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notices/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Your unread notices as server-sent events: a `notices` event ({ notices: NoticeView[] }, newest first, at most 50) at once and whenever they change (a launch ready or failed, an approval asked or decided, a lifetime warning: at once; a budget notice within 15 s). */
        get: {
            parameters: {
                query?: never;
                header?: never;
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
                /** @description No valid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The data dictionary: every warehouse table and view with its columns */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            datasets: {
                                schema: string;
                                name: string;
                                kind: string;
                                dataset: string;
                                owner: string | null;
                                description: string | null;
                                visibleTo: string[];
                                columns: {
                                    name: string;
                                    type: string;
                                    nullable: boolean;
                                    description: string | null;
                                    classification: string | null;
                                    visibleTo: string[];
                                }[];
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{schema}/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    schema: string;
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description One dataset with its columns */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            schema: string;
                            name: string;
                            kind: string;
                            dataset: string;
                            owner: string | null;
                            description: string | null;
                            visibleTo: string[];
                            columns: {
                                name: string;
                                type: string;
                                nullable: boolean;
                                description: string | null;
                                classification: string | null;
                                visibleTo: string[];
                            }[];
                        };
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{schema}/{name}/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    schema: string;
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Row count, freshness and per-column nulls, distinct values, min and max, computed on the synthetic copy */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description always the synthetic copy: the figures describe no real person */
                            computedOn: string;
                            rowCount: number;
                            columns: {
                                name: string;
                                type: string;
                                nulls: number;
                                distinct: number | null;
                                min: string | null;
                                max: string | null;
                            }[];
                            freshness: {
                                dataUntil: string | null;
                                maskedRefreshedOn: string | null;
                            };
                            computedAt: string;
                        };
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{schema}/{name}/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: {
                    /** @description read the real relation with this environment's warehouse grant */
                    environment?: string;
                };
                header?: never;
                path: {
                    schema: string;
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The first rows: synthetic for everybody, the real ones only through your own grant */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description synthetic: generated rows anyone may see; grant: the real relation, read with your environment's grant
                             * @enum {string}
                             */
                            source: "synthetic" | "grant";
                            relation: string;
                            environment: {
                                environment: string;
                                name: string;
                                dataClass: string;
                            } | null;
                            columns: string[];
                            rows: (string | null)[][];
                            access: {
                                /** @description your environments whose warehouse grant reads this relation (pass one as ?environment=) */
                                grants: {
                                    environment: string;
                                    name: string;
                                    dataClass: string;
                                }[];
                                /** @description golden paths whose data class reads it: launch one to get a grant (sensitive ones ask the owner's approval) */
                                paths: {
                                    path: string;
                                    title: string;
                                    dataClass: string;
                                    approval: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Bad input: the message says what to fix */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/warehouse/apply": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The policy file was read again: masked views, grants, the dictionary and the catalog follow it */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            datasets: number;
                        };
                    };
                };
                /** @description Bad input: the message says what to fix */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/catalog/entities": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List, filter and search catalog entities */
        get: {
            parameters: {
                query?: {
                    /** @description Kinds, e.g. Component,API (case-insensitive) */
                    kind?: string | string[];
                    /** @description spec.type values, e.g. service */
                    "spec.type"?: string | string[];
                    /** @description Tags; an entity matches if it has any of them */
                    "metadata.tags"?: string | string[];
                    /** @description Owners as refs; a bare name is a group */
                    owner?: string | string[];
                    /** @description spec.lifecycle values */
                    lifecycle?: string | string[];
                    /** @description Namespaces */
                    namespace?: string | string[];
                    /** @description <relationType>:<entity ref>, e.g. dependsOn:resource:default/orders-db */
                    relation?: string | string[];
                    /** @description Sources, e.g. api or file:acme */
                    source?: string | string[];
                    /** @description Words to search for; ranked: exact name, exact title, name, title, tags and column names, description */
                    q?: string;
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    limit?: number;
                    /** @description Fields to return, dotted, e.g. ref,kind,metadata.name,metadata.title */
                    fields?: string | string[];
                    /** @description Include facet counts (default true) */
                    facets?: "true" | "false";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of entities, facet counts for the match, and the cursor of the next page */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["CatalogEntity"][];
                            facets: {
                                kind: {
                                    value: string;
                                    count: number;
                                }[];
                                type: {
                                    value: string;
                                    count: number;
                                }[];
                                owner: {
                                    value: string;
                                    count: number;
                                }[];
                                lifecycle: {
                                    value: string;
                                    count: number;
                                }[];
                                namespace: {
                                    value: string;
                                    count: number;
                                }[];
                                tag: {
                                    value: string;
                                    count: number;
                                }[];
                            } | null;
                            nextCursor: string | null;
                            /** @description The number of matches: exact, unless totalCountIsEstimate is true */
                            totalCount: number;
                            /**
                             * @description Present when a search (q=) without filters has more matches than it counts exactly (1,000): totalCount is then an estimate (two significant digits, never below the matches counted); show it as "about N"
                             * @enum {boolean}
                             */
                            totalCountIsEstimate?: true;
                            /**
                             * @description Present when a search (q=) has more matches than this: its facets count only this many best-ranked matches (by tier), not every match
                             * @example 1000
                             */
                            facetsOverTop?: number;
                        };
                    };
                };
                /** @description Bad filter or cursor */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /** Bulk upsert of entity descriptors (source api) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        entities: unknown[];
                        /** @description Names a sub-source, stored as api:<source>; without it the source is api */
                        source?: string;
                        /** @description Make the source hold exactly these entities: the ones it held before and no longer lists are removed */
                        replace?: boolean;
                    };
                };
            };
            responses: {
                /** @description Written; nothing is written when any descriptor is bad */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            source: string;
                            written: number;
                            unchanged: number;
                            removed: string[];
                        };
                    };
                };
                /** @description A descriptor is bad: details name the item and field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description An entity belongs to another source */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/catalog/facets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Facet counts (kind, type, owner, lifecycle, namespace, tag) for a filter */
        get: {
            parameters: {
                query?: {
                    /** @description Kinds, e.g. Component,API (case-insensitive) */
                    kind?: string | string[];
                    /** @description spec.type values, e.g. service */
                    "spec.type"?: string | string[];
                    /** @description Tags; an entity matches if it has any of them */
                    "metadata.tags"?: string | string[];
                    /** @description Owners as refs; a bare name is a group */
                    owner?: string | string[];
                    /** @description spec.lifecycle values */
                    lifecycle?: string | string[];
                    /** @description Namespaces */
                    namespace?: string | string[];
                    /** @description <relationType>:<entity ref>, e.g. dependsOn:resource:default/orders-db */
                    relation?: string | string[];
                    /** @description Sources, e.g. api or file:acme */
                    source?: string | string[];
                    /** @description Words to search for; ranked: exact name, exact title, name, title, tags and column names, description */
                    q?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Counts of the matching entities per value */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            facets: {
                                kind: {
                                    value: string;
                                    count: number;
                                }[];
                                type: {
                                    value: string;
                                    count: number;
                                }[];
                                owner: {
                                    value: string;
                                    count: number;
                                }[];
                                lifecycle: {
                                    value: string;
                                    count: number;
                                }[];
                                namespace: {
                                    value: string;
                                    count: number;
                                }[];
                                tag: {
                                    value: string;
                                    count: number;
                                }[];
                            };
                        };
                    };
                };
                /** @description Bad filter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/catalog/entities/by-ref/{kind}/{namespace}/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One entity with its relations resolved */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    kind: string;
                    namespace: string;
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The entity and its relations, both directions */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CatalogEntity"] & ({
                            relations: {
                                type: string;
                                targetRef: string;
                                target: {
                                    kind: string | null;
                                    namespace: string;
                                    name: string;
                                    title: string | null;
                                    exists: boolean;
                                };
                            }[];
                        } & {
                            [key: string]: unknown;
                        });
                    };
                };
                /** @description No such entity */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Remove an entity registered through the API */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    kind: string;
                    namespace: string;
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Removed, with its relations */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description No such entity */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Registered by another source (a file, a repository or the platform): remove it there */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/catalog/imports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start an import of descriptor files (any number, sent in chunks) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @description Names a sub-source, stored as api:<source>; without it the source is api
                         * @example import:catalog
                         */
                        source?: string;
                    };
                };
            };
            responses: {
                /** @description The import; send its files to /api/v1/catalog/imports/chunks, then commit it */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            source: string;
                            expiresAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/catalog/imports/chunks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send descriptor files of an import: parsed and checked here, their valid entities written now */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The id from POST /api/v1/catalog/imports */
                        import: string;
                        /** @description Descriptor files (multi-document YAML) */
                        files: {
                            /**
                             * @description The file's path relative to what was imported (posix), used in messages and to resolve placeholders and Location targets
                             * @example catalog/payments/catalog-info.yaml
                             */
                            path: string;
                            text: string;
                        }[];
                        /** @description Files that the descriptors' $text, $json and $yaml placeholders name; nothing else is read */
                        attachments?: {
                            /**
                             * @description The file's path relative to what was imported (posix), used in messages and to resolve placeholders and Location targets
                             * @example catalog/payments/catalog-info.yaml
                             */
                            path: string;
                            text: string;
                        }[];
                    };
                };
            };
            responses: {
                /** @description The chunk's valid entities are written; each bad document or refused file is listed with file, document, line and field */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            files: number;
                            entities: number;
                            written: number;
                            unchanged: number;
                            errors: {
                                file: string;
                                /** @description 1-based; 0 when the whole file is refused */
                                document: number;
                                line: number | null;
                                entity: string | null;
                                errors: {
                                    field: string;
                                    message: string;
                                }[];
                            }[];
                            locations: {
                                file: string;
                                document: number;
                                line: number;
                                entity: string;
                                /** @description Files or globs, relative to the same root as the files sent: the client reads and sends them in a later chunk */
                                targets: string[];
                                optional: boolean;
                                skipped: {
                                    target: string;
                                    reason: string;
                                }[];
                            }[];
                        };
                    };
                };
                /** @description No such import in progress */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/catalog/imports/{id}/commit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Finish an import: the source now holds exactly what the import named */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Entities the source held before and the import no longer named are removed, unless a document was bad */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            source: string;
                            entities: number;
                            removed: string[];
                            /** @description Entities no longer named but kept, because some documents of the import were bad */
                            kept: number;
                        };
                    };
                };
                /** @description No such import in progress */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/catalog/imports/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Abandon an import: what its chunks wrote stays, nothing is removed */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Forgotten */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/policies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Every policy in force (after the last successful reload), with the file and line it comes from. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The policies in force */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            policies: {
                                id: string;
                                /** @enum {string} */
                                effect: "permit" | "forbid";
                                file: string;
                                line: number;
                                reason: string | null;
                                text: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Query the audit log
         * @description With team=, the policy decides on that team's log (readAudit on Team); without it, on the whole log (readAudit on Platform, admins by default).
         */
        get: {
            parameters: {
                query?: {
                    /** @description Only what this user did (a user id; `system` for the platform itself) */
                    user?: string;
                    /** @description Only what concerned this team's resources */
                    team?: string;
                    /** @description Only this action, e.g. launch, breakGlass, signIn */
                    action?: string;
                    /** @description Only rows from this time on: a duration back from now like 30m, 1h, 7d, or a date or time like 2026-12-01 or 2026-12-01T09:00:00Z */
                    since?: string;
                    cursor?: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of audit rows, newest first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            entries: components["schemas"]["AuditEntry"][];
                            /** @description Give as cursor= for the next (older) page; null on the last page */
                            next: string | null;
                        };
                    };
                };
                /** @description Bad input: the message says what to fix */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description No valid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/spend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An itemised usage and spend report
         * @description Rows grouped by resource, resource type, user, path, environment, team or day, for any window; the total is the exact sum of the rows. Amounts are decimal strings in the rate card's currency.
         */
        get: {
            parameters: {
                query?: {
                    /** @description The team (default: yours); `*` for every team, with the shared services' idle rows (admins) */
                    team?: string;
                    /** @description How rows are grouped */
                    by?: "resource" | "resourceType" | "user" | "path" | "environment" | "team" | "day";
                    /** @description Start of the window (default: the first day of this month, UTC) */
                    from?: string;
                    /** @description End of the window, exclusive (default: now); a date alone means the end of that day */
                    to?: string;
                    /** @description csv for a spreadsheet (or send Accept: text/csv) */
                    format?: "json" | "csv";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The report (JSON, or CSV with a final TOTAL line) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SpendReport"];
                        "text/csv": string;
                    };
                };
                /** @description Bad input: the message says what to fix */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description No valid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/budgets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The monthly budgets of the teams you may see, and where each stands */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Budgets */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            currency: string;
                            budgets: components["schemas"]["Budget"][];
                        };
                    };
                };
                /** @description No valid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/budgets/{team}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Set a team's monthly budget (admins)
         * @description A notice goes to the team when its spend this month reaches threshold %; at 100 % the policy engine refuses new launches for it (running environments keep running).
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    team: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        monthly: string | number;
                        /** @default 80 */
                        threshold?: number;
                    };
                };
            };
            responses: {
                /** @description The budget as set */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Budget"];
                    };
                };
                /** @description Bad input: the message says what to fix */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description No valid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/environments/{id}/sql": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Runs one read-only SQL statement as the environment's warehouse role. `?format=csv` (or Accept: text/csv) streams up to 100,000 rows as CSV instead of a page. */
        post: {
            parameters: {
                query?: {
                    /** @description csv for a download (or send Accept: text/csv) */
                    format?: "json" | "csv";
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        sql: string;
                        /**
                         * @description rows per page, at most 1000
                         * @default 100
                         */
                        limit?: number;
                        /** @default 0 */
                        offset?: number;
                    };
                };
            };
            responses: {
                /** @description A page of rows (JSON), or every row up to the cap as CSV */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            columns: {
                                name: string;
                                type: string;
                            }[];
                            /** @description PostgreSQL's text for each value, or null */
                            rows: (string | null)[][];
                            /** @description rows in this page */
                            rowCount: number;
                            offset: number;
                            /** @description more rows follow this page: ask again with offset + rowCount */
                            truncated: boolean;
                            command: string;
                            ms: number;
                        };
                        "text/csv": string;
                    };
                };
                /** @description Bad input: the message says what to fix */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/environments/{id}/sql/schema": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The tables and views the environment's grant reads, with their columns, as PostgreSQL reports them to its role */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            dataClass: string;
                            relations: {
                                schema: string;
                                name: string;
                                kind: string;
                                columns: {
                                    name: string;
                                    type: string;
                                }[];
                            }[];
                        };
                    };
                };
                /** @description Not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/environments/{id}/queries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Saved queries: the queries/*.sql files on the main branch of the environment's repository */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            queries: {
                                name: string;
                                path: string;
                                sql: string;
                            }[];
                        };
                    };
                };
                /** @description Not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        sql: string;
                    };
                };
            };
            responses: {
                /** @description Committed to main in the environment's repository, authored by you */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            name: string;
                            path: string;
                            commit: string;
                        };
                    };
                };
                /** @description Bad input: the message says what to fix */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/assistant": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ask the platform in a sentence; confirm what it proposes
         * @description Understands launching a path, a path's docs, spend, catalog search, your environments (list, stop, start, delete) and why a launch was refused, offline. Reads are answered at once; what creates or destroys comes back as a proposal to confirm. An unclear request gets a question and choices, never an action.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @example launch a data science experiment */
                        text?: string;
                        /** @description The confirmToken of a proposal: carries it out */
                        confirm?: string;
                        context?: {
                            /** @description The `pending` of the previous answer, when it asked a question: this text answers it */
                            pending?: {
                                /** @enum {string} */
                                intent: "launch" | "docs" | "spend" | "catalog" | "listEnvironments" | "stopEnvironment" | "startEnvironment" | "deleteEnvironment" | "explainRefusal" | "listPaths" | "unknown";
                                slots: {
                                    path?: string;
                                    team?: string;
                                    name?: string;
                                    params?: {
                                        [key: string]: string;
                                    };
                                    reason?: string;
                                    period?: {
                                        label: string;
                                        from: string;
                                        to?: string;
                                    };
                                    /** @enum {string} */
                                    by?: "resource" | "resourceType" | "user" | "path" | "environment" | "team" | "day";
                                    text?: string;
                                    kind?: string;
                                    environment?: string;
                                    all?: boolean;
                                };
                                /** @enum {string} */
                                expects: "reason" | "team" | "name" | "path" | "environment";
                            };
                        };
                    };
                };
            };
            responses: {
                /** @description What it understood, and its answer, proposal or result */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AssistantAnswer"];
                    };
                };
                /** @description Bad input: the message says what to fix */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description No valid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details?: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        CatalogEntity: {
            ref: string;
            source: string;
            apiVersion: string;
            kind: string;
            metadata: {
                [key: string]: unknown;
            };
            spec?: {
                [key: string]: unknown;
            };
        } & {
            [key: string]: unknown;
        };
        AuditEntry: {
            actor: string;
            action: string;
            resource: string;
            team: string | null;
            /** @enum {string} */
            decision: "allow" | "deny";
            policies: string[];
            detail: string | null;
            status: number | null;
            id: string;
            at: string;
        };
        SpendReport: {
            currency: string;
            team: string;
            from: string;
            to: string;
            /** @enum {string} */
            by: "resource" | "resourceType" | "user" | "path" | "environment" | "team" | "day";
            /**
             * @description The exact decimal sum of rows[].amount
             * @example 12.3400
             */
            total: string;
            rows: {
                key: string;
                label: string;
                amount: string;
                quantity: string | null;
                unit: string | null;
                idle: boolean;
                team: string | null;
                user: string | null;
                path: string | null;
                environment: string | null;
                resourceType: string | null;
            }[];
            daily: {
                day: string;
                amount: string;
            }[];
            budget: {
                monthly: string;
                spentThisMonth: string;
                percent: number;
                threshold: number;
                /** @enum {string} */
                state: "ok" | "warning" | "exceeded";
            } | null;
        };
        Budget: {
            team: string;
            monthly: string;
            threshold: number;
            updatedBy: string | null;
            updatedAt: string;
            status: {
                monthly: string;
                spentThisMonth: string;
                percent: number;
                threshold: number;
                /** @enum {string} */
                state: "ok" | "warning" | "exceeded";
            } | null;
        };
        AssistantAnswer: {
            understood: {
                /** @enum {string} */
                intent: "launch" | "docs" | "spend" | "catalog" | "listEnvironments" | "stopEnvironment" | "startEnvironment" | "deleteEnvironment" | "explainRefusal" | "listPaths" | "unknown";
                slots: {
                    path?: string;
                    team?: string;
                    name?: string;
                    params?: {
                        [key: string]: string;
                    };
                    reason?: string;
                    period?: {
                        label: string;
                        from: string;
                        to?: string;
                    };
                    /** @enum {string} */
                    by?: "resource" | "resourceType" | "user" | "path" | "environment" | "team" | "day";
                    text?: string;
                    kind?: string;
                    environment?: string;
                    all?: boolean;
                };
            };
            /** @description What the assistant says, for a person */
            says: string;
            question?: string;
            /** @description Send a choice's text back to pick it */
            choices?: {
                label: string;
                text: string;
            }[];
            pending?: {
                /** @enum {string} */
                intent: "launch" | "docs" | "spend" | "catalog" | "listEnvironments" | "stopEnvironment" | "startEnvironment" | "deleteEnvironment" | "explainRefusal" | "listPaths" | "unknown";
                slots: {
                    path?: string;
                    team?: string;
                    name?: string;
                    params?: {
                        [key: string]: string;
                    };
                    reason?: string;
                    period?: {
                        label: string;
                        from: string;
                        to?: string;
                    };
                    /** @enum {string} */
                    by?: "resource" | "resourceType" | "user" | "path" | "environment" | "team" | "day";
                    text?: string;
                    kind?: string;
                    environment?: string;
                    all?: boolean;
                };
                /** @enum {string} */
                expects: "reason" | "team" | "name" | "path" | "environment";
            };
            /** @description What it would do; nothing is done until confirm is sent with confirmToken (within 10 minutes) */
            proposal?: {
                /** @enum {string} */
                action: "launch_environment" | "stop_environment" | "start_environment" | "delete_environment";
                request: {
                    [key: string]: unknown;
                };
                confirmToken: string;
            };
            result?: unknown;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
