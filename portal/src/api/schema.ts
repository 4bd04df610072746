// Generated from the platform's OpenAPI document by portal/scripts/gen-api.ts: do not edit.
export interface paths {
    "/api/v1/auth": {
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
                /** @description How to sign in */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            methods: string[];
                            localAccounts: {
                                id: string;
                                name: string;
                                team: string;
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
    "/api/v1/sessions": {
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
            requestBody: {
                content: {
                    "application/json": {
                        user: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Signed in: send the token as a bearer token */
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
                                desired: "ready" | "deleted";
                                reason: string | null;
                                params: {
                                    [key: string]: unknown;
                                };
                                createdAt: string;
                                updatedAt: string;
                                readyAt: string | null;
                                deletedAt: string | null;
                                resources: {
                                    id: string;
                                    type: string;
                                    /** @enum {string} */
                                    status: "pending" | "provisioning" | "ready" | "deprovisioning" | "deleted" | "failed";
                                    outputs: {
                                        [key: string]: unknown;
                                    };
                                    error: string | null;
                                    updatedAt: string;
                                }[];
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
                            desired: "ready" | "deleted";
                            reason: string | null;
                            params: {
                                [key: string]: unknown;
                            };
                            createdAt: string;
                            updatedAt: string;
                            readyAt: string | null;
                            deletedAt: string | null;
                            resources: {
                                id: string;
                                type: string;
                                /** @enum {string} */
                                status: "pending" | "provisioning" | "ready" | "deprovisioning" | "deleted" | "failed";
                                outputs: {
                                    [key: string]: unknown;
                                };
                                error: string | null;
                                updatedAt: string;
                            }[];
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
                            desired: "ready" | "deleted";
                            reason: string | null;
                            params: {
                                [key: string]: unknown;
                            };
                            createdAt: string;
                            updatedAt: string;
                            readyAt: string | null;
                            deletedAt: string | null;
                            resources: {
                                id: string;
                                type: string;
                                /** @enum {string} */
                                status: "pending" | "provisioning" | "ready" | "deprovisioning" | "deleted" | "failed";
                                outputs: {
                                    [key: string]: unknown;
                                };
                                error: string | null;
                                updatedAt: string;
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
                            desired: "ready" | "deleted";
                            reason: string | null;
                            params: {
                                [key: string]: unknown;
                            };
                            createdAt: string;
                            updatedAt: string;
                            readyAt: string | null;
                            deletedAt: string | null;
                            resources: {
                                id: string;
                                type: string;
                                /** @enum {string} */
                                status: "pending" | "provisioning" | "ready" | "deprovisioning" | "deleted" | "failed";
                                outputs: {
                                    [key: string]: unknown;
                                };
                                error: string | null;
                                updatedAt: string;
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
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Requests for data access your team decides (or, with mine=true, that you made) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            approvals: {
                                id: string;
                                environment: string;
                                path: string;
                                approverTeam: string;
                                requestedBy: string;
                                reason: string;
                                dataClass: string;
                                datasets: string[];
                                /** @enum {string} */
                                status: "pending" | "approved" | "rejected" | "cancelled";
                                decidedBy: string | null;
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
                            path: string;
                            approverTeam: string;
                            requestedBy: string;
                            reason: string;
                            dataClass: string;
                            datasets: string[];
                            /** @enum {string} */
                            status: "pending" | "approved" | "rejected" | "cancelled";
                            decidedBy: string | null;
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
                /** @description Already decided */
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
                            path: string;
                            approverTeam: string;
                            requestedBy: string;
                            reason: string;
                            dataClass: string;
                            datasets: string[];
                            /** @enum {string} */
                            status: "pending" | "approved" | "rejected" | "cancelled";
                            decidedBy: string | null;
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
                /** @description Already decided */
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
    "/api/v1/environments/{id}/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Live progress as server-sent events: `event` (an EventView) for each new event, then `environment` (an EnvironmentView). The token may be given as `?token=` for EventSource. */
        get: {
            parameters: {
                query?: {
                    after?: number | null;
                    token?: string;
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
export type operations = Record<string, never>;
