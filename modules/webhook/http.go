package webhook

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/modules/events"
)

var requireSession = []map[string][]string{{"bearer": {}}}

// WebhookPath names an endpoint.
type WebhookPath struct {
	ID string `path:"id" format:"uuid"`
}

// EndpointOutput is one endpoint.
type EndpointOutput struct{ Body *Endpoint }

// CreatedEndpointOutput is an endpoint just registered, and where it is.
type CreatedEndpointOutput struct {
	Location string `header:"Location" doc:"The created resource's URL path."`
	Body     *Endpoint
}

// EndpointListOutput is a page of endpoints.
type EndpointListOutput struct {
	Body struct {
		Items      []Endpoint `json:"items"`
		NextCursor string     `json:"next_cursor,omitempty"`
	}
}

// DeliveryListOutput is a page of attempts.
type DeliveryListOutput struct {
	Body struct {
		Items      []Delivery `json:"items"`
		NextCursor string     `json:"next_cursor,omitempty"`
	}
}

// DeliveryOutput is one attempt.
type DeliveryOutput struct{ Body *Delivery }

// Register adds the module's operations to api. Every one is its owner's: another user's
// endpoint does not exist (404).
func Register(api huma.API, svc *Service) {
	tags := []string{"Webhooks"}
	owned := []int{http.StatusNotFound}
	huma.Register(api, huma.Operation{
		OperationID: "create-webhook", Method: http.MethodPost, Path: "/v1/webhooks",
		Summary: "Register a webhook endpoint (organizer, admin)", Tags: tags, Security: requireSession,
		Description: "Events are POSTed to url as they commit, signed by the Standard Webhooks scheme with the secret " +
			"returned here (and only here). An organizer's endpoint receives its tournaments' events; an admin's, every " +
			"public event. At least once, in log order; the webhook-id header is the event's cursor.",
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct{ Body EndpointInput }) (*CreatedEndpointOutput, error) {
		e, err := svc.Create(ctx, in.Body)
		if err != nil {
			return nil, err
		}
		return &CreatedEndpointOutput{Location: "/v1/webhooks/" + e.ID.String(), Body: e}, nil
	})
	huma.Register(api, huma.Operation{
		OperationID: "list-webhooks", Method: http.MethodGet, Path: "/v1/webhooks",
		Summary: "My webhook endpoints", Tags: tags, Security: requireSession, Errors: []int{http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *arena.Page) (*EndpointListOutput, error) {
		items, next, err := svc.List(ctx, *in)
		out := &EndpointListOutput{}
		out.Body.Items, out.Body.NextCursor = items, next
		return out, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "get-webhook", Method: http.MethodGet, Path: "/v1/webhooks/{id}",
		Summary: "A webhook endpoint", Tags: tags, Security: requireSession, Errors: owned,
	}, func(ctx context.Context, in *WebhookPath) (*EndpointOutput, error) {
		e, err := svc.Get(ctx, in.ID)
		return &EndpointOutput{e}, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "update-webhook", Method: http.MethodPatch, Path: "/v1/webhooks/{id}",
		Summary: "Change, pause or resume a webhook endpoint", Tags: tags, Security: requireSession,
		Description: "Resuming (disabled: false) sends what piled up while it was disabled, in order.",
		Errors:      []int{http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		WebhookPath
		Body EndpointPatch
	}) (*EndpointOutput, error) {
		e, err := svc.Update(ctx, in.ID, in.Body)
		return &EndpointOutput{e}, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "delete-webhook", Method: http.MethodDelete, Path: "/v1/webhooks/{id}",
		Summary: "Remove a webhook endpoint", Tags: tags, Security: requireSession,
		DefaultStatus: http.StatusNoContent, Errors: owned,
	}, func(ctx context.Context, in *WebhookPath) (*struct{}, error) {
		return nil, svc.Delete(ctx, in.ID)
	})
	huma.Register(api, huma.Operation{
		OperationID: "rotate-webhook-secret", Method: http.MethodPost, Path: "/v1/webhooks/{id}/rotate-secret",
		Summary: "Give a webhook endpoint a new secret", Tags: tags, Security: requireSession,
		Description: "Returns the new secret (only here). For 24 hours the old one signs too: webhook-signature carries " +
			"both signatures, so the receiver can switch without missing a message.",
		Errors: owned,
	}, func(ctx context.Context, in *WebhookPath) (*EndpointOutput, error) {
		e, err := svc.RotateSecret(ctx, in.ID)
		return &EndpointOutput{e}, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "ping-webhook", Method: http.MethodPost, Path: "/v1/webhooks/{id}/ping",
		Summary: "Send a test message to a webhook endpoint now", Tags: tags, Security: requireSession,
		Description: "A signed webhook.ping message, sent while the request waits (at most 10 s); the answer is the attempt.",
		Errors:      owned,
	}, func(ctx context.Context, in *WebhookPath) (*DeliveryOutput, error) {
		d, err := svc.Ping(ctx, in.ID)
		return &DeliveryOutput{d}, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "list-webhook-deliveries", Method: http.MethodGet, Path: "/v1/webhooks/{id}/deliveries",
		Summary: "Attempts to deliver to a webhook endpoint, newest first", Tags: tags, Security: requireSession,
		Errors: []int{http.StatusNotFound, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		WebhookPath
		arena.Page
	}) (*DeliveryListOutput, error) {
		items, next, err := svc.Deliveries(ctx, in.ID, in.Page)
		out := &DeliveryListOutput{}
		out.Body.Items, out.Body.NextCursor = items, next
		return out, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "retry-webhook-delivery", Method: http.MethodPost, Path: "/v1/webhooks/{id}/deliveries/{delivery_id}/retry",
		Summary: "Send an attempt's message again", Tags: tags, Security: requireSession,
		Description: "Queues the message now, with the same webhook-id, ahead of what is pending (a manual redelivery is " +
			"out of order by nature). 409 while the endpoint is disabled.",
		DefaultStatus: http.StatusAccepted, Errors: []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		WebhookPath
		DeliveryID string `path:"delivery_id" format:"uuid"`
	}) (*struct{}, error) {
		return nil, svc.Retry(ctx, in.ID, in.DeliveryID)
	})
}

// Selector picks the event types an endpoint gets: a type of the catalogue, or AllTypes alone.
type Selector string

// Schema implements huma.SchemaProvider: the catalogue and AllTypes are the enum.
func (Selector) Schema(huma.Registry) *huma.Schema { return eventTypeSchema(AllTypes) }

func selectors(types []string) []Selector {
	out := make([]Selector, len(types))
	for i, t := range types {
		out[i] = Selector(t)
	}
	return out
}

// DeliveredType is the type of a delivered message: an event's, or webhook.ping for a ping.
type DeliveredType string

// Schema implements huma.SchemaProvider: the catalogue and webhook.ping are the enum.
func (DeliveredType) Schema(huma.Registry) *huma.Schema { return eventTypeSchema(pingType) }

// eventTypeSchema is a string naming a type of the event catalogue, or extra.
func eventTypeSchema(extra string) *huma.Schema {
	s := &huma.Schema{Type: huma.TypeString, Enum: []any{extra}}
	for _, kind := range events.Types {
		s.Enum = append(s.Enum, kind)
	}
	return s
}
