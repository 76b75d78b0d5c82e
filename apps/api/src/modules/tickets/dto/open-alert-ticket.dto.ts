import { PartialType, PickType } from '@nestjs/swagger';
import { CreateTicketDto } from './create-ticket.dto';

/**
 * `POST /alerts/{id}/ticket`: everything optional. The subject defaults to the alert's title,
 * the priority to its severity's (critical urgent, error high, warning normal, info low); the
 * meter and description always come from the alert.
 */
export class OpenAlertTicketDto extends PartialType(
  PickType(CreateTicketDto, ['subject', 'priority', 'assigneeId'] as const),
) {}
