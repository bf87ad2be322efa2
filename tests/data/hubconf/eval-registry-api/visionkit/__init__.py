from visionkit import models
