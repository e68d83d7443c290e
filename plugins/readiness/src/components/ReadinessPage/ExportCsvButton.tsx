import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import GetAppIcon from '@material-ui/icons/GetApp';
import { useState } from 'react';
import { readinessApiRef } from '../../api';
import { explainError } from '../common/errors';
import { OverviewView } from './useOverviewQuery';

/** The file name of the export. */
export const CSV_FILE_NAME = 'readiness-overview.csv';

/** Saves a blob as a file through a temporary link. */
export function saveBlob(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A button that downloads a CSV file (`download` fetches it), with its
 * progress and the error of a failed export.
 */
export function DownloadCsvButton(props: {
  download: () => Promise<Blob>;
  fileName: string;
}) {
  const [exporting, setExporting] = useState(false);
  const [error, setError] = useState<Error>();
  const onClick = async () => {
    setExporting(true);
    setError(undefined);
    try {
      saveBlob(await props.download(), props.fileName);
    } catch (e) {
      setError(e as Error);
    } finally {
      setExporting(false);
    }
  };
  return (
    <>
      <Button
        variant="outlined"
        color="primary"
        size="small"
        startIcon={<GetAppIcon aria-hidden />}
        onClick={onClick}
        disabled={exporting}
      >
        {exporting ? 'Exporting…' : 'Export CSV'}
      </Button>
      {error && (
        <Typography role="alert" variant="body2">
          The export failed: {explainError(error, 'the export')} (
          {error.message})
        </Typography>
      )}
    </>
  );
}

/** Downloads the overview, with the current filters and order, as CSV. */
export function ExportCsvButton(props: { view: OverviewView }) {
  const api = useApi(readinessApiRef);
  const { filter, orderBy, order } = props.view;
  return (
    <DownloadCsvButton
      download={() => api.downloadOverviewCsv({ ...filter, orderBy, order })}
      fileName={CSV_FILE_NAME}
    />
  );
}
